using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// Publishes stored, unpublished events to RabbitMQ. A row leaves the outbox only after the broker
/// confirmed a <c>mandatory</c> publish: a message no queue would take comes back as returned and
/// the row stays, to be tried again with a growing delay. The claim runs in a transaction with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several receivers share the work.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    // After a failed round only the oldest row is tried until one succeeds: a broker that returns or
    // refuses everything costs one attempt per round, not a batch of them.
    private bool _probing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failureDelay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            RelayRound round;
            try
            {
                round = await RelayOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) // a database or broker failure must not end the relay: the rows wait in the store
            {
                LogRoundFailed(ex.GetType().Name, ex.Message);
                _probing = true;
                round = new RelayRound(0, 1);
            }

            if (round.Failed > 0)
            {
                await WaitAsync(failureDelay, stoppingToken);
                failureDelay = TimeSpan.FromMilliseconds(Math.Min(failureDelay.TotalMilliseconds * 2, 10_000));
                continue;
            }

            failureDelay = TimeSpan.FromMilliseconds(500);
            if (round.Published < _options.BatchSize)
            {
                await WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(delay, stoppingToken);
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
        var results = await Task.WhenAll(rows.Select(row => PublishAsync(row, cancellationToken)));
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

    /// <summary>Null when the broker confirmed a routed publish, else why not.</summary>
    private async Task<string?> PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var message = new PaymentEventReceived(
            row.Id,
            row.Provider,
            row.EventId,
            row.EventType,
            new DateTimeOffset(DateTime.SpecifyKind(row.ReceivedAt, DateTimeKind.Utc)),
            Encoding.UTF8.GetString(row.Body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await bus.Publish(message, context =>
            {
                // A stable id per stored event: a second publish of the same row is recognisably the same message.
                context.MessageId = row.MessageId;
                context.Durable = true;
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, timeout.Token);
            return null;
        }
        catch (MessageReturnedException)
        {
            return "The broker returned the message: no queue is bound to the event exchange yet (has a processor ever started?).";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"No confirm from the broker within {_options.PublishTimeout.TotalSeconds:0.#} s.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} stored events were not published and stay in the outbox: {Reason}")]
    private partial void LogPublishFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed ({ExceptionType}: {Reason}); the events stay in the store and are tried again")]
    private partial void LogRoundFailed(string exceptionType, string reason);
}
