using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Batching;
using Webhooks.Infrastructure.Storage;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Outbox;

namespace Webhooks.Receiver.Storage;

/// <summary>
/// The receiver's store path. Requests queue their event on a <see cref="GroupCommitter{TItem, TResult}"/>;
/// a few loops each take whatever is waiting (up to <see cref="WebhooksOptions.StoreMaxBatch"/>) and commit
/// it in one transaction, so concurrent requests share commits without anyone waiting for a timer.
/// Every request waits for its own commit, bounded by <see cref="WebhooksOptions.StoreTimeout"/>, and
/// hears 503 rather than a 200 it cannot keep.
/// </summary>
public sealed partial class GroupCommitEventWriter : IHostedService, IDisposable
{
    private readonly GroupCommitter<IncomingEvent, StoreOutcome> _committer;
    private readonly EventBatchInserter _inserter;
    private readonly OutboxFastLane _fastLane;
    private readonly WebhooksOptions _options;
    private readonly TimeSpan _fastLaneLease;
    private readonly TimeProvider _clock;
    private readonly ILogger<GroupCommitEventWriter> _logger;

    public GroupCommitEventWriter(
        EventBatchInserter inserter,
        OutboxFastLane fastLane,
        IOptions<WebhooksOptions> options,
        IOptions<OutboxOptions> outboxOptions,
        TimeProvider clock,
        ILogger<GroupCommitEventWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outboxOptions);
        _fastLaneLease = outboxOptions.Value.FastLaneLease;
        _inserter = inserter;
        _fastLane = fastLane;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _committer = new GroupCommitter<IncomingEvent, StoreOutcome>(
            new GroupCommitOptions(_options.StoreMaxBatch, _options.StoreConcurrency, _options.StoreQueueCapacity),
            CommitAsync);
    }

    /// <summary>Stores the event or throws <see cref="StoreUnavailableException"/>.</summary>
    public async Task<StoreOutcome> StoreAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        Task<StoreOutcome> stored;
        try
        {
            // Not withdrawn when the request goes away: the gateway's retry will hear "duplicate".
            stored = _committer.Enqueue(incoming, CancellationToken.None);
        }
        catch (GroupCommitFullException ex)
        {
            throw new StoreUnavailableException("The store queue is full.", ex);
        }
        catch (GroupCommitStoppedException ex)
        {
            throw new StoreUnavailableException("The receiver is shutting down.", ex);
        }

        try
        {
            return await stored.WaitAsync(_options.StoreTimeout, _clock, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            // The write may still commit later; the gateway's retry will then hear "duplicate".
            throw new StoreUnavailableException($"The event was not committed within {_options.StoreTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _committer.Start();
        return Task.CompletedTask;
    }

    // Finishes what was queued before the host stops: those callers are still waiting for an answer.
    public Task StopAsync(CancellationToken cancellationToken) => _committer.StopAsync(cancellationToken);

    public void Dispose() => _committer.Dispose();

    private async Task CommitAsync(IReadOnlyList<GroupCommitEntry<IncomingEvent, StoreOutcome>> batch, CancellationToken notUsed)
    {
        // Within one batch the first copy of a key is written; the rest are duplicates of it.
        var distinct = new Dictionary<(string, string), IncomingEvent>();
        foreach (var entry in batch)
        {
            distinct.TryAdd((entry.Item.Provider, entry.Item.EventId), entry.Item);
        }

        using var timeout = new CancellationTokenSource(_options.StoreTimeout, _clock);
        Dictionary<(string Provider, string EventId), StoredRow> stored;
        try
        {
            stored = await _inserter.InsertAsync([.. distinct.Values], _fastLaneLease, timeout.Token);
        }
        catch (Exception ex) // whatever failed, every waiting caller must hear 503
        {
            LogCommitFailed(batch.Count, ex.GetType().Name, ex.Message);
            throw new StoreUnavailableException("The database did not commit the event.", ex);
        }

        foreach (var entry in batch)
        {
            if (stored.Remove((entry.Item.Provider, entry.Item.EventId), out var row))
            {
                _fastLane.Offer(new FreshEvent(row.Id, row.MessageId, entry.Item.ToMessage(row.Id), entry.Item.TraceParent));
                entry.Succeed(StoreOutcome.Accepted);
            }
            else
            {
                entry.Succeed(StoreOutcome.Duplicate);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {Count} events ({ExceptionType}: {Reason}); their requests are answered 503")]
    private partial void LogCommitFailed(int count, string exceptionType, string reason);
}
