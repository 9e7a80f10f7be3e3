using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// Publishes events the moment their commit returns, from memory, without reading them back from
/// PostgreSQL. Each such outbox row was written with a lease (<see cref="OutboxOptions.FastLaneLease"/>):
/// until it runs out the scanning <see cref="OutboxRelay"/> leaves the row to this lane. Whatever this
/// lane cannot publish (broker down, queue full, process crash) simply stays in the outbox and the
/// relay takes it when the lease ends, so nothing here needs to be durable.
/// </summary>
public sealed partial class OutboxFastLane : BackgroundService
{
    private readonly Channel<FreshEvent> _events;
    private readonly NpgsqlDataSource _dataSource;
    private readonly EventPublisher _publisher;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutboxFastLane> _logger;
    private long _pausedUntilTicks;

    public OutboxFastLane(NpgsqlDataSource dataSource, EventPublisher publisher, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxFastLane> logger)
    {
        _dataSource = dataSource;
        _publisher = publisher;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _events = Channel.CreateBounded<FreshEvent>(new BoundedChannelOptions(_options.FastLaneCapacity)
        {
            // A full lane drops the newest: those rows are published by the relay after their lease.
            FullMode = BoundedChannelFullMode.DropWrite,
        });
    }

    public void Offer(FreshEvent fresh) => _events.Writer.TryWrite(fresh);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.FastLaneConcurrency).Select(_ => Task.Run(() => PublishLoopAsync(stoppingToken), stoppingToken)));

    private async Task PublishLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<FreshEvent>(_options.BatchSize);
        try
        {
            while (await _events.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && _events.Reader.TryRead(out var fresh))
                {
                    batch.Add(fresh);
                }

                if (_clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _pausedUntilTicks))
                {
                    // The broker failed us a moment ago: leave these to the relay instead of queueing up timeouts.
                    continue;
                }

                await PublishBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: anything unpublished stays in the outbox.
        }
    }

    private async Task PublishBatchAsync(List<FreshEvent> batch, CancellationToken stoppingToken)
    {
        var results = await _publisher.PublishAsync([.. batch.Select(e => new OutgoingEvent(e.Message, e.MessageId, e.TraceParent))], EventPublisher.FastLane, stoppingToken);
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

    private static readonly TimeSpan PauseAfterFailure = TimeSpan.FromSeconds(5);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} fresh events were not published at once and are left to the outbox relay: {Reason}")]
    private partial void LogFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} published events could not be removed from the outbox ({Reason}); they will be published once more")]
    private partial void LogDeleteFailed(int count, string reason);
}
