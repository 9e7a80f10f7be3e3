using System.Globalization;
using Microsoft.Extensions.Options;
using Webhooks.Cli.Audit;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Cli.Events;

/// <summary>
/// <c>events replay</c>: publishes stored events again. The CLI does not publish itself: it puts the
/// events back in the receivers' outbox (in one transaction with the audit row), and the relay
/// publishes them exactly as it published them the first time: a <c>PaymentEventReceived</c> with the
/// same message id to <c>Broker__EventExchange</c>, mandatory and confirmed. So a replay survives a
/// broker outage like any stored event does. The CLI then waits until the relay has published them.
/// </summary>
internal sealed class EventsReplayHandler(
    StoredEventsTable events,
    AuditLog audit,
    CliOutput output,
    TimeProvider timeProvider,
    IOptions<BrokerOptions> broker)
{
    public const string Action = "events replay";

    /// <summary>A time range with more events than this is confirmed first.</summary>
    public const int ConfirmThreshold = 1000;

    // The relay looks every second (Outbox__PollInterval); this leaves room for a busy one.
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<int> RunAsync(
        string? provider,
        IReadOnlyCollection<string> eventIds,
        string? since,
        string? until,
        bool dryRun,
        bool yes,
        string? wait,
        CancellationToken cancellationToken)
    {
        var waitFor = ParseWait(wait);
        var (rows, selection) = await SelectAsync(provider, eventIds, since, until, cancellationToken);
        var missing = eventIds.Except(rows.Select(r => r.EventId), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var exchange = broker.Value.EventExchange;

        if (rows.Count == 0)
        {
            output.Line("No stored event matches: nothing to replay.");
            return ReportMissing(provider, missing, 0);
        }

        if (dryRun)
        {
            ShowRows(rows);
            output.Line($"Dry run: {Counts.Events(rows.Count)} would be published again to {exchange}; nothing was changed.");
            return ReportMissing(provider, missing, 0);
        }

        if (since is not null && rows.Count > ConfirmThreshold)
        {
            await output.ConfirmOrStopAsync(
                $"Publish {Counts.Events(rows.Count)} received since {Cells.Time(rows[0].ReceivedAtUtc)} again?", yes, "Nothing was replayed",
                $"the replay of {Counts.Events(rows.Count)}", cancellationToken);
        }

        await audit.EnsureReadyAsync(cancellationToken);
        var rowIds = rows.Select(r => r.Id).ToArray();
        int queued;
        await using (var connection = await events.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            queued = await StoredEventsTable.QueueForPublishingAsync(connection, transaction, rowIds, cancellationToken);
            var alreadyWaiting = rows.Count - queued;
            await audit.RecordAsync(
                new AuditEntry(Action, $"event_outbox -> {exchange}", selection, rows.Count, rows.Count, 0, [.. rows.Select(r => $"{r.Provider}/{r.EventId}")],
                    alreadyWaiting > 0 ? $"{alreadyWaiting} were already waiting in the outbox" : null),
                connection,
                transaction,
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var waiting = await WaitForRelayAsync(rowIds, waitFor, cancellationToken);
        if (waiting > 0)
        {
            throw new CliException(
                $"{waiting} of {Counts.Events(rows.Count)} still wait in the outbox after {waitFor.TotalSeconds:0} s, "
                + "so no receiver's relay has published them yet: "
                + "they stay queued and are published as soon as a receiver runs and the broker takes them.");
        }

        output.Line(waitFor == TimeSpan.Zero
            ? $"Queued {Counts.Events(rows.Count)} in the outbox; the receivers' relay publishes them to {exchange}."
            : $"Replayed {Counts.Events(rows.Count)}: the receivers' relay published them to {exchange} with their original message ids.");
        return ReportMissing(provider, missing, rows.Count);
    }

    private async Task<(IReadOnlyList<StoredEventRow> Rows, string Selection)> SelectAsync(
        string? provider, IReadOnlyCollection<string> eventIds, string? since, string? until, CancellationToken cancellationToken)
    {
        if (since is null)
        {
            if (until is not null)
            {
                throw CliException.Usage("--until goes with --since.");
            }

            if (provider is null || eventIds.Count == 0)
            {
                throw CliException.Usage("Give a provider and one or more of its event ids, or a time range with --since.");
            }

            return (await events.FindAsync(provider, eventIds, cancellationToken), $"{provider} {string.Join(' ', eventIds)}");
        }

        if (eventIds.Count > 0)
        {
            throw CliException.Usage("Give either event ids or --since, not both.");
        }

        var now = timeProvider.GetUtcNow();
        var from = Durations.ParsePoint(since, "--since", now);
        var to = until is null ? (DateTimeOffset?)null : Durations.ParsePoint(until, "--until", now);
        if (to <= from)
        {
            throw CliException.Usage("--until must be later than --since.");
        }

        var selection = $"{(provider is null ? "" : provider + " ")}--since {Cells.Time(from)}{(to is null ? "" : $" --until {Cells.Time(to)}")}";
        return (await events.RangeAsync(from, to, provider, cancellationToken), selection);
    }

    private async Task<int> WaitForRelayAsync(long[] rowIds, TimeSpan waitFor, CancellationToken cancellationToken)
    {
        if (waitFor == TimeSpan.Zero)
        {
            return 0;
        }

        var deadline = timeProvider.GetUtcNow() + waitFor;
        return await output.WithProgressAsync("Waiting for the outbox relay", rowIds.Length, async advance =>
        {
            var published = 0;
            while (true)
            {
                var waiting = await events.CountWaitingAsync(rowIds, cancellationToken);
                for (; published < rowIds.Length - waiting; published++)
                {
                    advance();
                }

                if (waiting == 0 || timeProvider.GetUtcNow() >= deadline)
                {
                    return waiting;
                }

                await Task.Delay(PollInterval, timeProvider, cancellationToken);
            }
        });
    }

    private void ShowRows(IReadOnlyList<StoredEventRow> rows) => StoredEventsTableView.Create(rows).Write(output.Console);

    private static TimeSpan ParseWait(string? wait) => wait switch
    {
        null => DefaultWait,
        "0" or "0s" => TimeSpan.Zero,
        _ => Durations.ParseSpan(wait, "--wait"),
    };

    private static int ReportMissing(string? provider, List<string> missing, int replayed)
    {
        if (missing.Count > 0)
        {
            throw new CliException(
                $"{replayed.ToString(CultureInfo.InvariantCulture)} replayed, but {missing.Count} of the given event ids "
                + $"{(missing.Count == 1 ? "is" : "are")} not stored for {provider}: {string.Join(", ", missing)}.");
        }

        return CliExitCode.Success;
    }
}
