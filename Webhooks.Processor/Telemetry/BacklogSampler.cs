using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Processor.Configuration;
using Webhooks.Processor.StuckOrders;

namespace Webhooks.Processor.Telemetry;

/// <summary>Reads the dead-letter queue's depth, the number of stuck orders and of waiting events every few seconds for the gauges.</summary>
public sealed partial class BacklogSampler(
    NpgsqlDataSource dataSource,
    IOptions<ConnectionStringsOptions> connectionStrings,
    IOptions<ProcessorOptions> processorOptions,
    IOptions<StuckOrdersOptions> stuckOrderOptions,
    ProcessorTelemetry telemetry,
    TimeProvider clock,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            telemetry.Sampled(await DeadLetterDepthAsync(stoppingToken), await StuckOrdersAsync(stoppingToken));
            var (waiting, unlinked) = await WaitingEventsAsync(stoppingToken);
            telemetry.SampledWaiting(waiting, unlinked);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<long?> StuckOrdersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM orders WHERE status = 'pending' AND pending_since < @before",
                new { before = (clock.GetUtcNow() - stuckOrderOptions.Value.PendingThreshold).UtcDateTime },
                cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogSampleFailed("stuck orders", ex.Message);
            return null;
        }
    }

    private async Task<(long? Waiting, long? Unlinked)> WaitingEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var counts = await connection.QuerySingleAsync<(long Waiting, long Unlinked)>(new CommandDefinition(
                "SELECT count(*), count(*) FILTER (WHERE waiting_since < @before) FROM waiting_events",
                new { before = (clock.GetUtcNow() - stuckOrderOptions.Value.PendingThreshold).UtcDateTime },
                cancellationToken: cancellationToken));
            return (counts.Waiting, counts.Unlinked);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            LogSampleFailed("waiting events", ex.Message);
            return (null, null);
        }
    }

    private async Task<long?> DeadLetterDepthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var address = RabbitMqAddress.Parse(connectionStrings.Value.RabbitMq);
            var factory = address.CreateConnectionFactory("webhooks-processor backlog");
            await using var connection = await factory.CreateConnectionAsync("webhooks-processor-sampler", cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await channel.QueueDeclarePassiveAsync(processorOptions.Value.ErrorQueueName, cancellationToken);
            return queue.MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // No error queue yet: nothing has ever been dead-lettered.
            return 0;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or TimeoutException)
        {
            LogSampleFailed("dead-letter depth", ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the {Metric}: {Reason}")]
    private partial void LogSampleFailed(string metric, string reason);
}
