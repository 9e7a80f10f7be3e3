namespace Webhooks.Tests.Cli.Support;

/// <summary>A row of <c>cli_audit</c>.</summary>
public sealed class AuditRow
{
    public DateTime OccurredAt { get; init; }

    public string OsUser { get; init; } = "";

    public string Host { get; init; } = "";

    public string Action { get; init; } = "";

    public string Target { get; init; } = "";

    public string Selection { get; init; } = "";

    public int Selected { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    public string[] ItemIds { get; init; } = [];
}
