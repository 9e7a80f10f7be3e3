using Dapper;
using Npgsql;

namespace Webhooks.Receiver.Telemetry;

/// <summary>Reads the outbox's size and oldest age every few seconds for the backlog gauges.</summary>
public sealed partial class OutboxSampler(NpgsqlDataSource dataSource, ReceiverTelemetry telemetry, TimeProvider clock, ILogger<OutboxSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var (backlog, oldest) = await connection.QuerySingleAsync<(long, double)>(new CommandDefinition(
                    "SELECT count(*), coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::float8 FROM event_outbox",
                    cancellationToken: stoppingToken));
                telemetry.OutboxSampled(backlog, oldest);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                telemetry.OutboxSampled(null, null);
                LogSampleFailed(ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the outbox: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
