using Webhooks.Contracts;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>The payment lifecycle's metrics on the processor's own <c>/metrics</c>.</summary>
/// <remarks>
/// Not in parallel with other fixtures: every host in the test process exports every meter of the
/// same name, so another processor's counters would move these too.
/// </remarks>
[NonParallelizable]
public class PaymentLifecycleMetricsTests
{
    [Test]
    public async Task RefundsDisputesAndWaitingEvents_MoveTheirMetrics()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString).Start();
        var db = new OrderQueries(schema.ConnectionString);
        using var client = processor.CreateClient();
        var before = await MetricsScrape.ReadAsync(client);
        var payment = TestPayment.New(amount: 10000);

        foreach (var message in new[]
        {
            payment.Dispute("charge.dispute.created", "needs_response"),
            payment.Intent("payment_intent.succeeded"),
            payment.Charge("charge.refunded", refunded: 100),
            payment.Dispute("charge.dispute.closed", "lost", made: TestPayment.Made.AddDays(20)),
        })
        {
            await processor.PublishAsync(message);
            Assert.That(await db.WaitForOutcomeAsync(message.EventId), Is.Not.Null, message.EventType);
        }

        var after = await MetricsScrape.ReadAsync(client);
        double Moved(string metric, string labels = "") => after.Sum(metric, labels) - before.Sum(metric, labels);
        Assert.Multiple(() =>
        {
            Assert.That(Moved("webhooks_disputes_opened_total"), Is.EqualTo(1));
            Assert.That(Moved("webhooks_disputes_closed_total", "outcome=\"lost\""), Is.EqualTo(1));
            Assert.That(Moved("webhooks_refunds_total", "kind=\"partial\""), Is.EqualTo(1));
            Assert.That(Moved("webhooks_events_waiting_total", "state=\"waiting\""), Is.EqualTo(1));
            Assert.That(Moved("webhooks_events_waiting_total", "state=\"applied\""), Is.EqualTo(1));
            Assert.That(Moved("webhooks_events_processed_total", "outcome=\"waiting\""), Is.EqualTo(1));
        });
    }
}
