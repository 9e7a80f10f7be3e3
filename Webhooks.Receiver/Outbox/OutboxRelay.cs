using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// The safety net behind <see cref="OutboxFastLane"/>: publishes every outbox row that is due, i.e.
/// whose fast-lane lease ran out (broker down, process crashed, another receiver's row) or whose
/// retry time came. A row leaves the outbox only after the broker confirmed a <c>mandatory</c>
/// publish; a message no queue would take comes back and the row stays, to be tried again with a
/// growing delay. Claims run with <c>FOR UPDATE SKIP LOCKED</c>, so several receivers share the work.
/// A failed round (broker or database away) is tried again by a Polly retry with exponential,
/// jittered delays from half a second to ten, on the injected clock.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    EventPublisher publisher,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    // After a failed round only the oldest row is tried until one succeeds: a broker that returns or
    // refuses everything costs one attempt per round, not a batch of them.
    private bool _probing;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pipeline = RoundRetries();
        while (!stoppingToken.IsCancellationRequested)
        {
            RelayRound round;
            try
            {
                round = await pipeline.ExecuteAsync(RoundAsync, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (round.Published < _options.BatchSize)
            {
                await WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    // Retries a round that failed, as long as it takes: the rows wait in the store meanwhile.
    private ResiliencePipeline<RelayRound> RoundRetries() =>
        new ResiliencePipelineBuilder<RelayRound> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<RelayRound>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstRetryDelay,
                MaxDelay = LongestRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Failed: > 0 }),
            })
            .Build();

    private async ValueTask<RelayRound> RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await RelayOnceAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A database or broker failure must not end the relay: the rows wait in the store.
            LogRoundFailed(ex.GetType().Name, ex.Message);
            _probing = true;
            return new RelayRound(0, 1);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    internal async Task<RelayRound> RelayOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await OutboxTable.ClaimAsync(connection, transaction, _probing ? 1 : _options.BatchSize, cancellationToken);
        if (rows.Count == 0)
        {
            return new RelayRound(0, 0);
        }

        // All publishes of the round are in flight together; their confirms arrive pipelined.
        var results = await publisher.PublishAsync(
            [.. rows.Select(row => new OutgoingEvent(row.ToMessage(), row.MessageId, row.TraceParent))], EventPublisher.Relay, cancellationToken);
        var published = rows.Where((_, i) => results[i] is null).Select(r => r.Id).ToArray();
        var failed = rows.Where((_, i) => results[i] is not null).Select(r => r.Id).ToArray();

        if (published.Length > 0)
        {
            await OutboxTable.DeleteAsync(connection, transaction, published, CancellationToken.None);
        }

        if (failed.Length > 0)
        {
            var error = results.First(r => r is not null)!;
            await OutboxTable.DeferAsync(connection, transaction, failed, error, _options.MaxRetryDelay.TotalSeconds, CancellationToken.None);
            LogPublishFailed(failed.Length, error);
        }

        await transaction.CommitAsync(CancellationToken.None);
        _probing = failed.Length > 0;
        return new RelayRound(published.Length, failed.Length);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} stored events were not published and stay in the outbox: {Reason}")]
    private partial void LogPublishFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Outbox relay round failed ({ExceptionType}: {Reason}); the events stay in the store and are tried again")]
    private partial void LogRoundFailed(string exceptionType, string reason);
}
