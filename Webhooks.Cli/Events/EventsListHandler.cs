using Webhooks.Cli.Output;

namespace Webhooks.Cli.Events;

/// <summary>
/// <c>events list</c>: stored events, newest first. When more events match than <c>--limit</c> lets
/// through, standard error says so (also with <c>--json</c>, whose array then holds the newest only).
/// </summary>
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
        // One more than asked for tells whether the list was cut.
        var rows = await events.ListAsync(provider, type, from, limit + 1, cancellationToken);
        var cut = rows.Count > limit;
        if (cut)
        {
            rows = [.. rows.Take(limit)];
            output.Note($"Only the newest {Counts.Events(limit)} are listed and more match; narrow with --since, --type or --provider, or raise --limit.");
        }

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

        var table = StoredEventsTableView.Create(rows);
        table.Caption = $"{Counts.Events(rows.Count)}, newest first{(cut ? $" (--limit {limit}; more match)" : "")}";
        table.Write(output.Console);
        return CliExitCode.Success;
    }
}
