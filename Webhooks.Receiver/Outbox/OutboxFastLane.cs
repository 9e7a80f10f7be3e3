using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Batching;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// Publishes events the moment their commit returns, from memory, without reading them back from
/// PostgreSQL. Each such outbox row was written with a lease (<see cref="OutboxOptions.FastLaneLease"/>):
/// until it runs out the scanning <see cref="OutboxRelay"/> leaves the row to this lane. Whatever this
/// lane cannot publish (broker down, queue full, process crash) simply stays in the outbox and the
/// relay takes it when the lease ends, so nothing here needs to be durable.
/// </summary>
public sealed partial class OutboxFastLane : IHostedService, IDisposable
{
    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    private readonly GroupCommitter<FreshEvent, bool> _committer;
    private readonly NpgsqlDataSource _dataSource;
    private readonly EventPublisher _publisher;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutboxFastLane> _logger;
    private long _pausedUntilTicks;

    public OutboxFastLane(
        NpgsqlDataSource dataSource, EventPublisher publisher, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxFastLane> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _publisher = publisher;
        _clock = clock;
        _logger = logger;
        var lane = options.Value;
        // Nobody waits for an offered event, and what is dropped (lane full, or stopping) is published by the relay after its lease.
        _committer = new GroupCommitter<FreshEvent, bool>(
            new GroupCommitOptions(lane.BatchSize, lane.FastLaneConcurrency, lane.FastLaneCapacity, DrainOnStop: false),
            PublishAsync);
    }

    public void Offer(FreshEvent fresh) => _committer.TryOffer(fresh);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _committer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _committer.StopAsync(cancellationToken);

    public void Dispose() => _committer.Dispose();

    private async Task PublishAsync(IReadOnlyList<GroupCommitEntry<FreshEvent, bool>> entries, CancellationToken stoppingToken)
    {
        if (_clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _pausedUntilTicks))
        {
            // The broker failed us a moment ago: leave these to the relay instead of queueing up timeouts.
            return;
        }

        try
        {
            await PublishBatchAsync([.. entries.Select(e => e.Item)], stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: anything unpublished stays in the outbox.
        }
    }

    private async Task PublishBatchAsync(IReadOnlyList<FreshEvent> batch, CancellationToken stoppingToken)
    {
        var results = await _publisher.PublishAsync(
            [.. batch.Select(e => new OutgoingEvent(e.Message, e.MessageId, e.TraceParent))], EventPublisher.FastLane, stoppingToken);
        var published = batch.Where((_, i) => results[i] is null).Select(e => e.RowId).ToArray();
        var failure = results.FirstOrDefault(r => r is not null);
        if (failure is not null)
        {
            Interlocked.Exchange(ref _pausedUntilTicks, (_clock.GetUtcNow() + PauseAfterFailure).UtcTicks);
            LogFailed(batch.Count - published.Length, failure);
        }

        if (published.Length == 0)
        {
            return;
        }

        try
        {
            await OutboxTable.DeleteAsync(_dataSource, published, stoppingToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // Published but still listed: the relay publishes them once more after the lease; consumers are idempotent.
            LogDeleteFailed(published.Length, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} fresh events were not published at once and are left to the outbox relay: {Reason}")]
    private partial void LogFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} published events could not be removed from the outbox ({Reason}); they will be published once more")]
    private partial void LogDeleteFailed(int count, string reason);
}
