using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>
/// The receiver's metrics an operator needs beyond the counters: why signatures were rejected, whether
/// PostgreSQL and RabbitMQ answer, and outbox gauges that are absent, never stale, without PostgreSQL.
/// </summary>
// Not in parallel: every host in the test process exports every meter of the same name.
[NonParallelizable]
public class ReceiverGaugeTests
{
    private const string Rejected = "webhooks_events_received_total";

    [Test]
    public async Task SignatureRejections_CarryTheirReason()
    {
        await using var factory = new ReceiverFactory();
        using var client = factory.CreateClient();
        var body = TestEvents.StripeBody(TestEvents.NewEventId());

        using (await client.SendAsync(TestEvents.Stripe(body, "whsec_wrong"))) { }
        using (await client.SendAsync(TestEvents.Stripe(body, timestamp: TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - 3600))) { }
        using (await client.SendAsync(TestEvents.Json("/webhooks/stripe", "{}"u8.ToArray()))) { }
        var malformed = TestEvents.Json("/webhooks/stripe", "{}"u8.ToArray());
        malformed.Headers.Add("Stripe-Signature", "not-a-signature");
        using (await client.SendAsync(malformed)) { }

        var scrape = await MetricsScrape.ReadAsync(client);

        foreach (var reason in new[] { "mismatch", "expired", "missing", "malformed" })
        {
            var labels = $"outcome=\"rejected_signature\",provider=\"stripe\",reason=\"{reason}\"";
            Assert.That(scrape.Value(Rejected, labels), Is.EqualTo(1), reason + "\n" + scrape.Text);
        }
    }

    [Test]
    public async Task Dependencies_AreUp_AndTheOutboxGaugesDisappearWhilePostgresIsRefused()
    {
        var target = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = proxy.Port;
        await using var factory = new ReceiverFactory(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = target.ConnectionString });
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        using (await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId())))) { }
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u), "published, so the outbox has connected");

        var up = await WaitForAsync(
            client, s => s.Value("webhooks_dependency_up", "dependency=\"postgres\"") == 1 && s.Has("webhooks_dependency_up", "dependency=\"rabbitmq\""));
        Assert.That(up.Value("webhooks_dependency_up", "dependency=\"rabbitmq\""), Is.EqualTo(1));
        Assert.That(up.Has("webhooks_outbox_backlog"), Is.True);

        proxy.Refuse();
        var down = await WaitForAsync(client, s => s.Value("webhooks_dependency_up", "dependency=\"postgres\"") == 0);
        proxy.Forward();

        Assert.That(down.Has("webhooks_outbox_backlog") || down.Has("webhooks_outbox_oldest_age_seconds"), Is.False, down.Text);
    }

    private static async Task<MetricsScrape> WaitForAsync(HttpClient http, Func<MetricsScrape, bool> condition)
    {
        MetricsScrape? scrape = null;
        var met = await Eventually.TrueAsync(async () => condition(scrape = await MetricsScrape.ReadAsync(http)), TimeSpan.FromSeconds(60));
        Assert.That(met, Is.True, "the metrics never showed what was expected:\n" + scrape?.Text);
        return scrape!;
    }
}
