using Spectre.Console;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.Events;

/// <summary><c>events list</c>: stored events, newest first.</summary>
internal sealed class EventsListHandler(StoredEventsTable events, CliOutput output, TimeProvider timeProvider)
{
    public const int DefaultLimit = 100;

    public async Task<int> RunAsync(string? provider, string? type, string? since, int limit, bool json, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            throw CliException.Usage("--limit must be at least 1.");
        }

        var from = since is null ? (DateTimeOffset?)null : Durations.ParsePoint(since, "--since", timeProvider.GetUtcNow());
        var rows = await events.ListAsync(provider, type, from, limit, cancellationToken);
        if (json)
        {
            output.Json(rows.Select(r => r.ToSummary()));
            return CliExitCode.Success;
        }

        if (rows.Count == 0)
        {
            output.Line("No stored event matches.");
            return CliExitCode.Success;
        }

        var table = Cells.Table("Received at", "Provider", "Event id", "Type", "Message id");
        foreach (var row in rows)
        {
            table.AddRow(Cells.Of(row.ReceivedAtUtc), Cells.Of(row.Provider), Cells.Of(row.EventId), Cells.Of(row.EventType), Cells.Of(row.MessageId.ToString()));
        }

        table.Caption(Markup.Escape($"{Counts.Events(rows.Count)}, newest first{(rows.Count == limit ? $" (--limit {limit})" : "")}"));
        output.Console.Write(table);
        return CliExitCode.Success;
    }
}
