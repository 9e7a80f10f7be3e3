using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.StuckOrders;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// Every <c>Metrics__SampleInterval</c>, reads the queues from RabbitMQ and the stuck orders and the
/// oldest unprocessed event and the events waiting for their payment intent's order from PostgreSQL
/// for <see cref="BacklogGauges"/>; what cannot be read is
/// reported as unknown, with the dependency down.
/// </summary>
public sealed partial class BacklogSampler(
    NpgsqlDataSource dataSource,
    IOptions<ConnectionStringsOptions> connectionStrings,
    IOptions<ProcessorOptions> processorOptions,
    IOptions<StuckOrdersOptions> stuckOrderOptions,
    IOptions<MetricsOptions> metricsOptions,
    OldestUnprocessedEvent oldestUnprocessed,
    BacklogGauges gauges,
    TimeProvider clock,
    ILogger<BacklogSampler> logger) : PeriodicJob
{
    protected override TimeSpan Interval => metricsOptions.Value.SampleInterval;

    protected override string JobName => "Metrics sample";

    protected override TimeProvider Clock => clock;

    protected override ILogger Logger => logger;

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await SampleBrokerAsync(cancellationToken);
        await SampleDatabaseAsync(cancellationToken);
    }

    private async Task SampleDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (stuck, waiting, unlinked) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
                """
                SELECT (SELECT count(*) FROM orders WHERE status = 'pending' AND pending_since < @before),
                       (SELECT count(*) FROM waiting_events),
                       (SELECT count(*) FROM waiting_events WHERE waiting_since < @before)
                """,
                new { before = (clock.GetUtcNow() - stuckOrderOptions.Value.PendingThreshold).UtcDateTime },
                cancellationToken: cancellationToken));
            gauges.DatabaseSampled(up: true, stuck, await oldestUnprocessed.AgeAsync(connection, cancellationToken), waiting, unlinked);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            gauges.DatabaseSampled(up: false, null, null);
            LogSampleFailed("PostgreSQL", ex.Message);
        }
    }

    private async Task SampleBrokerAsync(CancellationToken cancellationToken)
    {
        IConnection connection;
        try
        {
            var address = RabbitMqAddress.Parse(connectionStrings.Value.RabbitMq);
            connection = await address.ConnectAsync("webhooks-processor metrics", cancellationToken);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            gauges.BrokerSampled(up: false, null, null);
            LogSampleFailed("RabbitMQ", ex.Message);
            return;
        }

        await using (connection)
        {
            try
            {
                var events = await DepthAsync(connection, processorOptions.Value.QueueName, cancellationToken);
                // MassTransit declares the dead-letter queue with the first dead letter: none yet is 0.
                var deadLetters = await DepthAsync(connection, processorOptions.Value.ErrorQueueName, cancellationToken) ?? 0;
                gauges.BrokerSampled(up: true, events, deadLetters);
            }
            catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or IOException or TimeoutException
                && !cancellationToken.IsCancellationRequested)
            {
                gauges.BrokerSampled(up: false, null, null);
                LogSampleFailed("RabbitMQ", ex.Message);
            }
        }
    }

    /// <summary>Messages ready in <paramref name="queue"/>; null when it does not exist.</summary>
    private static async Task<long?> DepthAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel: a channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample {Source} for the metrics: {Reason}")]
    private partial void LogSampleFailed(string source, string reason);
}
