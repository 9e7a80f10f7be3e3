using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Batching;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Processor.Orders;

/// <summary>
/// The processor's applier: consumers queue their event on a <see cref="GroupCommitter{TItem, TResult}"/>,
/// whose loop applies whatever is waiting (up to <see cref="ProcessorOptions.ApplyBatchSize"/>) as one
/// <see cref="OrderBatch"/>, so concurrent messages share one commit. A caller cancelled while its
/// event still waits is not applied; once taken, the outcome stands. After the stop, events are
/// refused with <see cref="GroupCommitStoppedException"/>, which the consumer treats as transient.
/// A batch that recorded a dispute alert wakes the <see cref="DisputeAlertSignal"/> once it committed.
/// </summary>
public sealed partial class GroupCommitOrderApplier : IHostedService, IOrderEventApplier, IDisposable
{
    private readonly GroupCommitter<OrderEvent, ApplyResult> _committer;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ProcessorTelemetry _telemetry;
    private readonly TimeProvider _clock;
    private readonly DisputeAlertSignal _disputeAlerts;
    private readonly ILogger<GroupCommitOrderApplier> _logger;

    public GroupCommitOrderApplier(
        NpgsqlDataSource dataSource,
        IOptions<ProcessorOptions> options,
        ProcessorTelemetry telemetry,
        TimeProvider clock,
        DisputeAlertSignal disputeAlerts,
        ILogger<GroupCommitOrderApplier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _telemetry = telemetry;
        _clock = clock;
        _disputeAlerts = disputeAlerts;
        _logger = logger;
        // Unbounded: the consumer's concurrency limit already bounds how many wait here.
        _committer = new GroupCommitter<OrderEvent, ApplyResult>(new GroupCommitOptions(options.Value.ApplyBatchSize), ApplyBatchAsync);
    }

    public Task<ApplyResult> ApplyAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        return _committer.Enqueue(orderEvent, withdrawOn: cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _committer.Start();
        return Task.CompletedTask;
    }

    // The consumers stop first (they were registered later); what they queued is still applied.
    public Task StopAsync(CancellationToken cancellationToken) => _committer.StopAsync(cancellationToken);

    public void Dispose() => _committer.Dispose();

    // Not cancellable: once a batch is taken, its callers wait for the commit's outcome.
    private async Task ApplyBatchAsync(IReadOnlyList<GroupCommitEntry<OrderEvent, ApplyResult>> batch, CancellationToken notUsed)
    {
        _telemetry.Batched(batch.Count);
        BatchEffects effects;
        try
        {
            effects = await OrderBatch.ApplyAsync(_dataSource, batch, _clock.GetUtcNow());
        }
        catch (Exception ex)
        {
            LogBatchFailed(batch.Count(e => !e.IsCompleted), ex.GetType().Name, ex.Message);
            // A part of a split batch may have committed a dispute alert before this failure.
            _disputeAlerts.Wake();
            throw;
        }

        _telemetry.Lifecycle(effects);
        if (effects.DisputeAlerts > 0)
        {
            // Committed: the dispatcher posts now rather than on its next round.
            _disputeAlerts.Wake();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not apply {Count} events of a batch ({ExceptionType}: {Reason}); "
            + "none of them was committed and each of their messages fails with this error")]
    private partial void LogBatchFailed(int count, string exceptionType, string reason);
}
