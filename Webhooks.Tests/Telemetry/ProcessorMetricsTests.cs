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
// Not in parallel: every host in the test process exports every meter of the same name.
[NonParallelizable]
public class ProcessorMetricsTests
{
    private const string OldestAge = "webhooks_processing_oldest_unprocessed_age_seconds";

    private const string ProcessedSql = """
        INSERT INTO processed_events (provider, event_id, event_type, outcome, processed_at)
        VALUES ('stripe', @eventId, 'charge.succeeded', 'ignored', now())
        """;

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
        var mark = await ScalarAsync<DateTime>(schema, "SELECT received_at FROM processing_watermark");
        Assert.That(mark, Is.EqualTo(DateTime.UtcNow.AddMinutes(-2)).Within(TimeSpan.FromSeconds(30)), "the low-water mark is kept, at the last settled event");
    }

    [Test]
    public async Task ARestartedProcessor_ResumesFromTheKeptMark_InsteadOfReadingTheWholeStoreAgain()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using (new ProcessorFactory(schema.ConnectionString, FastSampling).Start())
        {
            // Started once, so that the schema exists.
        }

        await InsertEventAsync(schema, "evt_before_the_mark", TimeSpan.FromMinutes(10));
        await InsertEventAsync(schema, "evt_after_the_mark", TimeSpan.FromMinutes(3));
        var before = await ScalarAsync<long>(schema, "SELECT id FROM webhook_events WHERE event_id = 'evt_before_the_mark'");
        await using (var connection = new NpgsqlConnection(schema.ConnectionString))
        {
            // As a processor that found everything up to five minutes ago done would have left it.
            await connection.ExecuteAsync(
                """
                INSERT INTO processing_watermark (name, received_at, event_row_id, updated_at)
                VALUES ('oldest-unprocessed-event', now() - interval '5 minutes', @before, now())
                """,
                new { before });
        }

        await using var processor = new ProcessorFactory(schema.ConnectionString, FastSampling).Start();
        using var http = processor.CreateClient();

        var scrape = await WaitForAsync(http, s => s.Has(OldestAge));
        Assert.That(scrape.Value(OldestAge), Is.InRange(180, 290), "the event behind the mark is not read again; the one after it is found");
    }

    [Test]
    public async Task QueueDepthsAndDependencies_AreExported()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, FastSampling).Start();
        using var http = processor.CreateClient();
        await CliQueues.FillAsync(processor.ErrorQueueName, 3);

        // One round samples the broker, then the database: wait for a round that has both.
        var scrape = await WaitForAsync(http, s => s.Value("webhooks_queue_depth", "queue=\"dead_letters\"") == 3
            && s.Has("webhooks_dependency_up", "dependency=\"postgres\""));

        Assert.That(scrape.Value("webhooks_queue_depth", "queue=\"events\""), Is.Zero);
        Assert.That(scrape.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
        Assert.That(scrape.Value("webhooks_dependency_up", "dependency=\"postgres\""), Is.EqualTo(1));
        Assert.That(scrape.Value("webhooks_orders_stuck"), Is.Zero);
    }

    [Test]
    // Exact counts: an exporter sees every meter of its name in the process, so no other processor may reconcile meanwhile.
    [NonParallelizable]
    public async Task ReconciliationPass_CountsIngestedEvents_AndEachKindOfGatewayFailure()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var stripe = await StripeStandIn.StartAsync();
        stripe.AddUndelivered(TestPayment.New().Intent("payment_intent.succeeded", made: TimeProvider.System.GetUtcNow()).Payload);
        // The start pass's first call fails (503) and is tried again: one failure counted, then the event stored.
        stripe.FailNext(503);
        var settings = FastSampling;
        settings["Reconciliation:Stripe:ApiKey"] = StripeStandIn.Key;
        settings["Reconciliation:Stripe:ApiBase"] = stripe.Url;
        await using var processor = new ProcessorFactory(schema.ConnectionString, settings).Start();
        using var http = processor.CreateClient();

        var scrape = await WaitForAsync(http, s => s.Value("webhooks_reconciliation_events_total", "outcome=\"ingested\"") == 1);

        Assert.That(scrape.Value("webhooks_reconciliation_events_total", "outcome=\"already_stored\""), Is.Zero);
        Assert.That(scrape.Value("webhooks_gateway_failures_total", "kind=\"server_error\""), Is.EqualTo(1));
        Assert.That(scrape.Value("webhooks_gateway_failures_total", "kind=\"unauthorized\""), Is.Zero, "every kind from the start");
    }

    [Test]
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
        var back = await WaitForAsync(http, s => s.Has("webhooks_queue_depth", "queue=\"events\""), TimeSpan.FromSeconds(90));
        Assert.That(back.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
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

        Assert.That(
            down.Has(OldestAge) || down.Has("webhooks_orders_stuck"), Is.False, "nothing read from PostgreSQL is shown while it is down:\n" + down.Text);
        Assert.That(down.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
    }

    private static async Task<MetricsScrape> WaitForAsync(HttpClient http, Func<MetricsScrape, bool> condition, TimeSpan? timeout = null)
    {
        MetricsScrape? scrape = null;
        var met = await Eventually.TrueAsync(async () => condition(scrape = await MetricsScrape.ReadAsync(http)), timeout ?? Patience);
        Assert.That(met, Is.True, "the metrics never showed what was expected:\n" + scrape?.Text);
        return scrape!;
    }

    /// <summary>One stored event and, in the same transaction, its processed or dead-lettered record: a sample never sees half.</summary>
    private static async Task InsertEventAsync(ProcessorSchema schema, string eventId, TimeSpan age, bool processed = false, bool deadLettered = false)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
            VALUES ('stripe', @eventId, 'charge.succeeded', now() - @age, gen_random_uuid(), '{}'::jsonb, convert_to('{}', 'UTF8'))
            """,
            new { eventId, age },
            transaction);
        if (processed)
        {
            await connection.ExecuteAsync(ProcessedSql, new { eventId }, transaction);
        }

        if (deadLettered)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO dead_letter_alerts
                    (fault_id, queue_name, message_id, provider, event_id, event_type, exception_type, reason, failed_at, recorded_at, notified_at)
                VALUES (gen_random_uuid(), 'elsewhere', gen_random_uuid(), 'stripe', @eventId, 'charge.succeeded', 'X', 'y', now(), now(), now())
                """,
                new { eventId },
                transaction);
        }

        await transaction.CommitAsync();
    }

    private static async Task<T> ScalarAsync<T>(ProcessorSchema schema, string sql)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    private static async Task MarkProcessedAsync(ProcessorSchema schema, string eventId)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.ExecuteAsync(ProcessedSql, new { eventId });
    }
}
