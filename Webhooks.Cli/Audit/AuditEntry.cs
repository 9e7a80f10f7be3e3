namespace Webhooks.Cli.Audit;

/// <summary>One change made through the CLI: what, to what, selected how, and how many went through.</summary>
internal sealed record AuditEntry(
    string Action,
    string Target,
    string Selection,
    int Selected,
    int Succeeded,
    int Failed,
    IReadOnlyList<string> ItemIds,
    string? Detail = null);
