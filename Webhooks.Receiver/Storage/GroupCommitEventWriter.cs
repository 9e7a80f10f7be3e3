using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Outbox;

namespace Webhooks.Receiver.Storage;

/// <summary>
/// The receiver's store path. Requests queue their event; a few writer loops each take whatever is
/// waiting (up to a batch) and commit it in one transaction, so concurrent requests share commits
/// without anyone waiting for a timer. Every request waits for its own commit, bounded by
/// <see cref="WebhooksOptions.StoreTimeout"/>, and hears 503 rather than a 200 it cannot keep.
/// </summary>
public sealed partial class GroupCommitEventWriter : BackgroundService
{
    private readonly Channel<PendingWrite> _queue;
    private readonly EventBatchInserter _inserter;
    private readonly OutboxFastLane _fastLane;
    private readonly WebhooksOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<GroupCommitEventWriter> _logger;

    public GroupCommitEventWriter(
        EventBatchInserter inserter,
        OutboxFastLane fastLane,
        IOptions<WebhooksOptions> options,
        TimeProvider clock,
        ILogger<GroupCommitEventWriter> logger)
    {
        _inserter = inserter;
        _fastLane = fastLane;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(_options.StoreQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
    }

    /// <summary>Stores the event or throws <see cref="StoreUnavailableException"/>.</summary>
    public async Task<StoreOutcome> StoreAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(incoming);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StoreUnavailableException("The store queue is full.");
        }

        try
        {
            return await pending.Completion.Task.WaitAsync(_options.StoreTimeout, _clock, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            // The write may still commit later; the gateway's retry will then hear "duplicate".
            throw new StoreUnavailableException($"The event was not committed within {_options.StoreTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.StoreConcurrency).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), stoppingToken)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Finish what was queued before the host stops: those callers are still waiting for an answer.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(_options.StoreMaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.StoreMaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }

            if (stoppingToken.IsCancellationRequested && _queue.Reader.Count == 0)
            {
                break;
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        // Within one batch the first copy of a key is written; the rest are duplicates of it.
        var distinct = new Dictionary<(string, string), IncomingEvent>();
        foreach (var pending in batch)
        {
            distinct.TryAdd((pending.Event.Provider, pending.Event.EventId), pending.Event);
        }

        using var timeout = new CancellationTokenSource(_options.StoreTimeout, _clock);
        try
        {
            var stored = await _inserter.InsertAsync([.. distinct.Values], timeout.Token);
            foreach (var pending in batch)
            {
                var key = (pending.Event.Provider, pending.Event.EventId);
                if (stored.Remove(key, out var row))
                {
                    _fastLane.Offer(new FreshEvent(row.Id, row.MessageId, pending.Event.ToMessage(row.Id), pending.Event.TraceParent));
                    pending.Completion.TrySetResult(StoreOutcome.Accepted);
                }
                else
                {
                    pending.Completion.TrySetResult(StoreOutcome.Duplicate);
                }
            }
        }
        catch (Exception ex) // whatever failed, every waiting caller must hear 503 and the loop must go on
        {
            LogCommitFailed(batch.Count, ex.GetType().Name, ex.Message);
            var failure = new StoreUnavailableException("The database did not commit the event.", ex);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {Count} events ({ExceptionType}: {Reason}); their requests are answered 503")]
    private partial void LogCommitFailed(int count, string exceptionType, string reason);

    private sealed class PendingWrite(IncomingEvent incoming)
    {
        public IncomingEvent Event { get; } = incoming;

        public TaskCompletionSource<StoreOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
