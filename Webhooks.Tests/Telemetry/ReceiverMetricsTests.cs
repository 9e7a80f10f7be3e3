using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>The receiver's metrics exist on <c>/metrics</c> and move when events flow.</summary>
// Not in parallel: every host in the test process exports every meter of the same name.
[NonParallelizable]
public partial class ReceiverMetricsTests
{
    [Test]
    public async Task EventsFlowing_MoveTheCountersHistogramsAndPublishMetrics()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        var before = await ScrapeAsync(client);

        var id = TestEvents.NewEventId();
        using (await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)))) { }
        using (await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)))) { }
        using (await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId()), "whsec_wrong"))) { }
        using (await client.SendAsync(TestEvents.Json("/webhooks/nope", "{}"u8.ToArray()))) { }
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));

        var after = "";
        var moved = await Eventually.TrueAsync(async () =>
        {
            after = await ScrapeAsync(client);
            return Value(after, "webhooks_events_published_total", "") > Value(before, "webhooks_events_published_total", "");
        }, TimeSpan.FromSeconds(20));

        Assert.That(moved, Is.True, "webhooks.events.published should count the confirmed publish");

        double Received(string labels) =>
            Value(after, "webhooks_events_received_total", labels) - Value(before, "webhooks_events_received_total", labels);

        Assert.Multiple(() =>
        {
            Assert.That(Received("outcome=\"accepted\",provider=\"stripe\""), Is.EqualTo(1));
            Assert.That(Received("outcome=\"duplicate\",provider=\"stripe\""), Is.EqualTo(1));
            Assert.That(Received("outcome=\"rejected_signature\",provider=\"stripe\""), Is.EqualTo(1));
            Assert.That(Received("outcome=\"unknown_provider\",provider=\"unknown\""), Is.EqualTo(1));
            Assert.That(Value(after, "webhooks_ack_duration_seconds_count", "outcome=\"accepted\",provider=\"stripe\""), Is.GreaterThanOrEqualTo(1));
            Assert.That(Value(after, "webhooks_publish_lag_seconds_count", ""), Is.GreaterThanOrEqualTo(1));
            Assert.That(after, Does.Contain("webhooks_outbox_backlog"));
            Assert.That(after, Does.Contain("webhooks_outbox_oldest_age_seconds"));
        });
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Sum of every sample of <paramref name="metric"/> whose labels contain <paramref name="labels"/> (0 if none).</summary>
    private static double Value(string scrape, string metric, string labels) =>
        SampleLine().Matches(scrape)
            .Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
