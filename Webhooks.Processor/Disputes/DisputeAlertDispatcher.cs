using Microsoft.Extensions.Options;
using Npgsql;
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
    ILogger<DisputeAlertDispatcher> logger) : BackgroundService
{
    // A burst beyond this goes out over the next rounds.
    private const int MaxAlertsPerRound = 500;

    private static readonly string[] Kinds = [DisputeAlertKind.Opened, DisputeAlertKind.Lost, DisputeAlertKind.Deadline];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispatchInterval, timeProvider);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var woken = signal.WaitAsync(stoppingToken);
        try
        {
            while (true)
            {
                // Both waits stay pending across rounds: a wake while posting is never lost.
                var fired = await Task.WhenAny(tick, woken);
                await fired;
                if (fired == tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    woken = signal.WaitAsync(stoppingToken);
                }

                try
                {
                    await DispatchOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The database may be away; the alerts wait in their table.
                    LogRoundFailed(ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispute alert round failed ({ExceptionType}: {Reason}); due alerts are tried again next round")]
    private partial void LogRoundFailed(string exceptionType, string reason);
}
