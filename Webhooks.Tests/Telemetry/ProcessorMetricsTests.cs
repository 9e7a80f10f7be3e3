using Dapper;
using Npgsql;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>
/// The processor's gauges on its real <c>/metrics</c>: queue depths, whether RabbitMQ and PostgreSQL
/// answer, and the age of the oldest unprocessed stored event; each absent, never stale, while its
/// source cannot be read.
/// </summary>
public class ProcessorMetricsTests
{
    private const string OldestAge = "webhooks_processing_oldest_unprocessed_age_seconds";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string?> FastSampling => new() { ["Metrics:SampleInterval"] = "00:00:00.200" };

    [Test]
    public async Task OldestUnprocessedEvent_RisesWhileNothingProcessesIt_AndFallsToZeroOnceProcessed_DeadLettersNotCounted()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, FastSampling).Start();
        using var http = processor.CreateClient();
        await InsertEventAsync(schema, "evt_processed", TimeSpan.FromMinutes(10), processed: true);
        await InsertEventAsync(schema, "evt_dead_lettered", TimeSpan.FromMinutes(5), deadLettered: true);
        // Stored, never published: as if the processor stalled on it.
        await InsertEventAsync(schema, "evt_stuck", TimeSpan.FromMinutes(2));

        var first = await WaitForAsync(http, s => s.Value(OldestAge) >= 120);
        var later = await WaitForAsync(http, s => s.Value(OldestAge) > first.Value(OldestAge));

        Assert.That(first.Value(OldestAge), Is.LessThan(300 - 5), "the dead-lettered and the processed events are not counted");
        Assert.That(later.Value(OldestAge), Is.GreaterThan(first.Value(OldestAge)!.Value), "the age rises while nothing processes it");

        await MarkProcessedAsync(schema, "evt_stuck");

        Assert.That((await WaitForAsync(http, s => s.Value(OldestAge) == 0)).Value(OldestAge), Is.Zero, "nothing left unprocessed");
    }

    [Test]
    public async Task QueueDepthsAndDependencies_AreExported()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, FastSampling).Start();
        using var http = processor.CreateClient();
        await CliQueues.FillAsync(processor.ErrorQueueName, 3);

        var scrape = await WaitForAsync(http, s => s.Value("webhooks_queue_depth", "queue=\"dead_letters\"") == 3);

        Assert.That(scrape.Value("webhooks_queue_depth", "queue=\"events\""), Is.Zero);
        Assert.That(scrape.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
        Assert.That(scrape.Value("webhooks_dependency_up", "dependency=\"postgres\""), Is.EqualTo(1));
        Assert.That(scrape.Value("webhooks_orders_stuck"), Is.Zero);
    }

    [Test]
    [NonParallelizable]
    public async Task BrokerStopped_TheQueueGaugesDisappear_AndRabbitMqIsDown()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, FastSampling).Start();
        using var http = processor.CreateClient();
        await WaitForAsync(http, s => s.Has("webhooks_queue_depth", "queue=\"events\""));

        await BrokerControl.StopAsync();
        MetricsScrape down;
        try
        {
            down = await WaitForAsync(http, s => s.Value("webhooks_dependency_up", "dependency=\"rabbitmq\"") == 0);
        }
        finally
        {
            await BrokerControl.StartAsync();
        }

        Assert.That(down.Has("webhooks_queue_depth"), Is.False, "no depth is known while the broker does not answer:\n" + down.Text);
        Assert.That(down.Value("webhooks_dependency_up", "dependency=\"postgres\""), Is.EqualTo(1));
        Assert.That((await WaitForAsync(http, s => s.Has("webhooks_queue_depth", "queue=\"events\""), TimeSpan.FromSeconds(90))).Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
    }

    [Test]
    public async Task DatabaseRefused_TheDatabaseGaugesDisappear_AndPostgresIsDown()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        await using var processor = new ProcessorFactory(schema.ConnectionStringVia("127.0.0.1", proxy.Port), FastSampling).Start();
        using var http = processor.CreateClient();
        await WaitForAsync(http, s => s.Has(OldestAge) && s.Has("webhooks_orders_stuck"));

        proxy.Refuse();
        var down = await WaitForAsync(http, s => s.Value("webhooks_dependency_up", "dependency=\"postgres\"") == 0);
        proxy.Forward();

        Assert.That(down.Has(OldestAge) || down.Has("webhooks_orders_stuck"), Is.False, "nothing read from PostgreSQL is shown while it does not answer:\n" + down.Text);
        Assert.That(down.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
    }

    private static async Task<MetricsScrape> WaitForAsync(HttpClient http, Func<MetricsScrape, bool> condition, TimeSpan? timeout = null)
    {
        MetricsScrape? scrape = null;
        var met = await Eventually.TrueAsync(async () => condition(scrape = await MetricsScrape.ReadAsync(http)), timeout ?? Patience);
        Assert.That(met, Is.True, "the metrics never showed what was expected:\n" + scrape?.Text);
        return scrape!;
    }

    private static async Task InsertEventAsync(ProcessorSchema schema, string eventId, TimeSpan age, bool processed = false, bool deadLettered = false)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
            VALUES ('stripe', @eventId, 'charge.succeeded', now() - @age, gen_random_uuid(), '{}'::jsonb, convert_to('{}', 'UTF8'))
            """,
            new { eventId, age });
        if (processed)
        {
            await MarkProcessedAsync(schema, eventId);
        }

        if (deadLettered)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO dead_letter_alerts (fault_id, queue_name, message_id, provider, event_id, event_type, exception_type, reason, failed_at, recorded_at, notified_at)
                VALUES (gen_random_uuid(), 'elsewhere', gen_random_uuid(), 'stripe', @eventId, 'charge.succeeded', 'X', 'y', now(), now(), now())
                """,
                new { eventId });
        }
    }

    private static async Task MarkProcessedAsync(ProcessorSchema schema, string eventId)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.ExecuteAsync(
            "INSERT INTO processed_events (provider, event_id, event_type, outcome, processed_at) VALUES ('stripe', @eventId, 'charge.succeeded', 'ignored', now())",
            new { eventId });
    }
}
