using Dapper;
using Npgsql;
using Webhooks.Infrastructure.Hosting;

namespace Webhooks.Receiver.Telemetry;

/// <summary>Reads the outbox's size and oldest age every few seconds for the backlog gauges; unreadable, they are absent.</summary>
public sealed partial class OutboxSampler(
    NpgsqlDataSource dataSource, ReceiverTelemetry telemetry, TimeProvider clock, ILogger<OutboxSampler> logger) : PeriodicJob
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(5);

    protected override TimeSpan Interval => SampleInterval;

    protected override string JobName => "Outbox sample";

    protected override TimeProvider Clock => clock;

    protected override ILogger Logger => logger;

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (backlog, oldest) = await connection.QuerySingleAsync<(long, double)>(new CommandDefinition(
                "SELECT count(*), coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::float8 FROM event_outbox",
                cancellationToken: cancellationToken));
            telemetry.OutboxSampled(backlog, oldest);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The database's own health says it is away; the gauges go absent rather than stale.
            telemetry.OutboxSampled(null, null);
            LogSampleFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not sample the outbox: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
