using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Database;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// Every <c>DeadLetterAlerts__DispatchInterval</c>, posts all due dead-letter alerts of this queue
/// as one grouped message and marks them notified in the same transaction. When Slack does not take
/// the post, the transaction rolls back and the alerts stay due for the next round. An advisory
/// lock makes one processor post per round.
/// </summary>
public sealed partial class DeadLetterAlertDispatcher(
    NpgsqlDataSource dataSource,
    IAlertChannel alerts,
    TimeProvider timeProvider,
    IOptions<DeadLetterAlertsOptions> options,
    IOptions<ProcessorOptions> processorOptions,
    ILogger<DeadLetterAlertDispatcher> logger) : PeriodicJob
{
    // One post names at most this many; a larger burst goes out over the next rounds, a post each.
    private const int MaxAlertsPerPost = 5000;

    // The CLI records a replay once its copies are confirmed, and a copy can fail again before that
    // row is written: a second failure with no recorded replay waits this long for it, so that the
    // alert can say who replayed it and when.
    private static readonly TimeSpan ReplayRecordGrace = TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval => options.Value.DispatchInterval;

    protected override string JobName => "Dead-letter alert round";

    protected override TimeProvider Clock => timeProvider;

    protected override ILogger Logger => logger;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => DispatchOnceAsync(cancellationToken);

    /// <summary>One round; returns how many alerts were posted.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var queue = processorOptions.Value.QueueName;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TransactionLock.TryTakeAsync(connection, transaction, $"dead-letter-alerts:{queue}", cancellationToken))
        {
            return 0;
        }

        var recordedBefore = timeProvider.GetUtcNow().UtcDateTime - ReplayRecordGrace;
        var due = (await DeadLetterAlertsTable.DueAsync(connection, transaction, queue, MaxAlertsPerPost, cancellationToken))
            .Where(a => a.Earlier is not { ReplayedAt: null } || a.RecordedAt <= recordedBefore)
            .ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        if (!await alerts.PostAsync(DeadLetterAlertMessage.Build(due, processorOptions.Value.ErrorQueueName), cancellationToken))
        {
            return 0;
        }

        await DeadLetterAlertsTable.MarkNotifiedAsync(connection, transaction, due.Select(a => a.FaultId), timeProvider.GetUtcNow(), CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        LogPosted(due.Count, queue);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted {Count} dead-letter alerts of queue {Queue}")]
    private partial void LogPosted(int count, string queue);

}
