using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Processor.Database;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.Disputes;

/// <summary>
/// Posts due dispute alerts to Slack, one post per kind, and marks them notified in the same
/// transaction: when Slack does not take a post, its alerts stay due for the next round. Runs when a
/// commit recorded an alert (<see cref="DisputeAlertSignal"/>: "at once") and every
/// <c>Disputes__DispatchInterval</c>, when it also records the deadline alerts of open disputes whose
/// deadline is within <c>Disputes__DeadlineWarning</c>. An advisory lock makes one processor post at a time.
/// </summary>
public sealed partial class DisputeAlertDispatcher(
    NpgsqlDataSource dataSource,
    IAlertChannel alerts,
    DisputeAlertSignal signal,
    TimeProvider timeProvider,
    IOptions<DisputesOptions> options,
    ILogger<DisputeAlertDispatcher> logger) : PeriodicJob
{
    // A burst beyond this goes out over the next rounds.
    private const int MaxAlertsPerRound = 500;

    private static readonly string[] Kinds = [DisputeAlertKind.Opened, DisputeAlertKind.Lost, DisputeAlertKind.Deadline];

    protected override TimeSpan Interval => options.Value.DispatchInterval;

    protected override string JobName => "Dispute alert round";

    protected override TimeProvider Clock => timeProvider;

    protected override ILogger Logger => logger;

    protected override JobWake WakeSource => signal;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => DispatchOnceAsync(cancellationToken);

    /// <summary>One round; returns how many alerts were posted.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Waits rather than skips: when woken, the alert just committed must go out now, after the
        // round of another processor that may have read the table before that commit.
        await TransactionLock.TakeAsync(connection, transaction, "dispute-alerts", cancellationToken);
        await DisputeAlertsTable.RecordDeadlinesAsync(connection, transaction, now, options.Value.DeadlineWarning, cancellationToken);
        var due = await DisputeAlertsTable.DueAsync(connection, transaction, MaxAlertsPerRound, cancellationToken);
        var posted = 0;
        foreach (var kind in Kinds)
        {
            var ofKind = due.Where(a => a.Kind == kind).ToList();
            // A deadline warning for a dispute closed meanwhile has nothing left to say.
            var moot = ofKind.Where(a => kind == DisputeAlertKind.Deadline && a.Status != "open").ToList();
            var shown = ofKind.Except(moot).ToList();
            if (shown.Count > 0 && await alerts.PostAsync(DisputeAlertMessage.Build(kind, shown, now), cancellationToken))
            {
                await DisputeAlertsTable.MarkNotifiedAsync(connection, transaction, shown, now, CancellationToken.None);
                posted += shown.Count;
                LogPosted(shown.Count, kind);
            }

            if (moot.Count > 0)
            {
                await DisputeAlertsTable.MarkNotifiedAsync(connection, transaction, moot, now, CancellationToken.None);
            }
        }

        await transaction.CommitAsync(CancellationToken.None);
        return posted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} dispute alerts ({Kind})")]
    private partial void LogPosted(int count, string kind);

}
