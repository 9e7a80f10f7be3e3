using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Processor.Configuration;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Processor.Orders;

/// <summary>
/// The processor's applier. Consumers queue their event; a loop takes whatever is waiting (up to
/// <see cref="ProcessorOptions.ApplyBatchSize"/>, no timer) and applies it as one
/// <see cref="OrderBatch"/>, so concurrent messages share one commit. Each caller hears its own
/// outcome only after the commit returned: its result, its own event's failure, or the batch's.
/// A caller cancelled while its event still waits is not applied; once taken, the outcome stands.
/// A batch that recorded a dispute alert wakes the <see cref="DisputeAlertSignal"/> once it committed.
/// </summary>
public sealed partial class GroupCommitOrderApplier : IHostedService, IOrderEventApplier
{
    private readonly Channel<PendingApply> _queue = Channel.CreateUnbounded<PendingApply>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly ProcessorOptions _options;
    private readonly ProcessorTelemetry _telemetry;
    private readonly TimeProvider _clock;
    private readonly DisputeAlertSignal _disputeAlerts;
    private readonly ILogger<GroupCommitOrderApplier> _logger;
    private Task? _loop;

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
        _options = options.Value;
        _telemetry = telemetry;
        _clock = clock;
        _disputeAlerts = disputeAlerts;
        _logger = logger;
    }

    public async Task<ApplyResult> ApplyAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingApply(orderEvent);
        // Unbounded: the consumer's concurrency limit already bounds how many wait here.
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ApplierStoppedException("The order applier has stopped (the processor is shutting down); the message will be retried.");
        }

        await using var withdraw = cancellationToken.Register(() =>
        {
            if (pending.TryWithdraw())
            {
                pending.Completion.TrySetCanceled(cancellationToken);
            }
        });
        return await pending.Completion.Task;
    }

    // Not a BackgroundService: its loop may never run when the host stops right after starting, and
    // the events queued by then would wait forever. This loop, once started, always drains the queue.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(ApplyLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The consumers stop first (they were registered later); what they queued is still applied.
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(new ApplierStoppedException("The order applier stopped before it started; the message will be retried."));
            }

            return;
        }

        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ApplyLoopAsync()
    {
        var batch = new List<PendingApply>(_options.ApplyBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.ApplyBatchSize && _queue.Reader.TryRead(out var pending))
            {
                if (pending.TryTake())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await ApplyBatchAsync(batch);
            }
        }
    }

    private async Task ApplyBatchAsync(List<PendingApply> batch)
    {
        _telemetry.Batched(batch.Count);
        BatchEffects effects;
        try
        {
            effects = await OrderBatch.ApplyAsync(_dataSource, batch, _clock.GetUtcNow());
        }
        catch (Exception ex) // whatever failed, every caller of the batch must hear it and the loop must go on
        {
            LogBatchFailed(batch.Count, ex.GetType().Name, ex.Message);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        _telemetry.Lifecycle(effects);
        if (effects.DisputeAlerts > 0)
        {
            // Committed: the dispatcher posts now rather than on its next round.
            _disputeAlerts.Wake();
        }

        foreach (var pending in batch)
        {
            pending.Complete();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not apply a batch of {Count} events ({ExceptionType}: {Reason}); none of it was committed and each of its messages fails with this error")]
    private partial void LogBatchFailed(int count, string exceptionType, string reason);
}
