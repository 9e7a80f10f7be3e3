using System.Globalization;
using Webhooks.Contracts;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// The contract's payment lifecycle through the real processor (consumer, applier, monitors) on real
/// RabbitMQ and PostgreSQL: partial and full refunds, disputes, and charges and disputes that name
/// only their payment intent, as real Stripe traffic does.
/// </summary>
public class PaymentLifecycleTests
{
    private ProcessorSchema _schema = null!;
    private ProcessorFactory _processor = null!;
    private OrderQueries _db = null!;

    [OneTimeSetUp]
    public async Task StartProcessor()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _processor = new ProcessorFactory(_schema.ConnectionString).Start();
        _db = new OrderQueries(_schema.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopProcessor()
    {
        await _processor.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Test]
    public async Task ChargeWithoutOrderMetadata_FindsItsOrderThroughItsPaymentIntent_AndKeepsItsAmounts()
    {
        var payment = TestPayment.New(amount: 2599, currency: "gbp");
        await DeliverAsync(payment.Intent("payment_intent.created"));

        Assert.That(await DeliverAsync(payment.Charge("charge.succeeded")), Is.EqualTo("applied"));

        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("paid", 2599, "gbp", 0)));
    }

    [Test]
    public async Task PartialRefundThenTheRest_EndsRefunded_WithTheWholeAmountRefunded()
    {
        var payment = TestPayment.New(amount: 10000);
        await DeliverAsync(payment.Intent("payment_intent.succeeded"));

        Assert.That(await DeliverAsync(payment.Charge("charge.refunded", refunded: 2500)), Is.EqualTo("applied"));
        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("partially_refunded", 10000, "usd", 2500)));

        Assert.That(await DeliverAsync(payment.Charge("charge.refunded", refunded: 6000)), Is.EqualTo("applied"), "a second partial refund is news");
        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("partially_refunded", 10000, "usd", 6000)));

        Assert.That(await DeliverAsync(payment.Charge("charge.refunded", refunded: 10000)), Is.EqualTo("applied"));
        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("refunded", 10000, "usd", 10000)));
    }

    [Test]
    public async Task FullRefundThenALatePartialRefund_StaysRefunded()
    {
        var payment = TestPayment.New(amount: 10000);
        await DeliverAsync(payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(payment.Charge("charge.refunded", refunded: 10000));
        var refunded = await _db.OrderAsync(payment.OrderId);

        Assert.That(await DeliverAsync(payment.Charge("charge.refunded", refunded: 2500)), Is.EqualTo("unchanged"));

        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("refunded", 10000, "usd", 10000)));
        Assert.That(await _db.OrderAsync(payment.OrderId), Is.EqualTo(refunded), "not even updated_at moved");
    }

    [Test]
    public async Task DisputeBeforeItsPaymentIntentsOrderIsKnown_IsRecordedWaiting_ThenAppliedWhenTheLinkArrives()
    {
        var payment = TestPayment.New();
        var dispute = payment.Dispute("charge.dispute.created", "needs_response");

        Assert.That(await DeliverAsync(dispute), Is.EqualTo("waiting"));
        Assert.That(await _db.DisputeAsync(payment.OrderId), Is.Null);

        Assert.That(await DeliverAsync(payment.Intent("payment_intent.succeeded")), Is.EqualTo("applied"));

        Assert.That((await _db.RecordAsync(dispute.EventId)).Outcome, Is.EqualTo("applied"));
        Assert.That((await _db.DisputeAsync(payment.OrderId))?.Status, Is.EqualTo("open"));
        Assert.That(await _db.StatusAsync(payment.OrderId), Is.EqualTo("paid"), "a dispute is not a rank");
    }

    [TestCase("won", "won")]
    [TestCase("lost", "lost")]
    [TestCase("warning_closed", "won")]
    public async Task DisputeClosed_TheOrdersDisputeEndsAsTheObjectsStatusSays_TheOrdersStatusStays(string gatewayStatus, string expected)
    {
        var payment = TestPayment.New();
        await DeliverAsync(payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(payment.Dispute("charge.dispute.created", "needs_response"));
        await DeliverAsync(payment.Dispute("charge.dispute.funds_withdrawn", "needs_response", made: TestPayment.Made.AddMinutes(1)));

        Assert.That(await DeliverAsync(payment.Dispute("charge.dispute.closed", gatewayStatus, made: TestPayment.Made.AddDays(20))), Is.EqualTo("applied"));

        var dispute = await _db.DisputeAsync(payment.OrderId);
        Assert.That(dispute?.Status, Is.EqualTo(expected));
        Assert.That(dispute?.GatewayStatus, Is.EqualTo(gatewayStatus));
        Assert.That(dispute?.FundsWithdrawnAt, Is.EqualTo(TestPayment.Made.AddMinutes(1).UtcDateTime));
        Assert.That(dispute?.ClosedAt, Is.EqualTo(TestPayment.Made.AddDays(20).UtcDateTime));
        Assert.That(await _db.StatusAsync(payment.OrderId), Is.EqualTo("paid"));
        Assert.That(await _db.DisputeAlertsAsync(), Does.Contain(payment.DisputeId + " opened"));
        var alerts = await _db.DisputeAlertsAsync();
        Assert.That(alerts.Contains(payment.DisputeId + " lost"), Is.EqualTo(expected == "lost"), "only a lost dispute is alerted as lost");
    }

    private static IEnumerable<TestCaseData> Lifecycles()
    {
        var refunds = new[] { "payment_intent.created", "refund 2500", "refund 10000" };
        var dispute = new[] { "payment_intent.succeeded", "charge.dispute.created", "charge.dispute.closed lost" };
        foreach (var (steps, status, refunded, disputeStatus) in new[] { (refunds, "refunded", 10000L, (string?)null), (dispute, "paid", 0L, "lost") })
        {
            foreach (var order in Permutations(steps))
            {
                yield return new TestCaseData(order, status, refunded, disputeStatus).SetArgDisplayNames(string.Join(" > ", order));
            }
        }
    }

    [TestCaseSource(nameof(Lifecycles))]
    public async Task EveryDeliveryOrder_OfARefundOrDisputeLifecycle_EndsInTheSameState(string[] deliveryOrder, string status, long refunded, string? dispute)
    {
        var payment = TestPayment.New(amount: 10000);

        // One after the other, each awaited, so that the order of application is exactly this one; each
        // event is also delivered twice, and the copy changes nothing.
        foreach (var step in deliveryOrder)
        {
            var message = Step(payment, step);
            Assert.That(await DeliverAsync(message), Is.AnyOf("applied", "unchanged", "waiting"), step);
            Assert.That(await RedeliverAsync(message), Is.True, step);
        }

        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow(status, 10000, "usd", refunded)));
        Assert.That((await _db.DisputeAsync(payment.OrderId))?.Status, Is.EqualTo(dispute));
        Assert.That(await _db.WaitingCountAsync(), Is.Zero);
    }

    private static PaymentEventReceived Step(TestPayment payment, string step) => step.Split(' ') switch
    {
        ["refund", var amount] => Refund(payment, long.Parse(amount, CultureInfo.InvariantCulture)),
        [var type, var status] => payment.Dispute(type, status, made: TestPayment.Made.AddDays(20)),
        [var type] when type.StartsWith("charge.dispute.", StringComparison.Ordinal) => payment.Dispute(type, "needs_response"),
        [var type] => payment.Intent(type),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>A refund of the payment's charge, made later the more has been refunded.</summary>
    private static PaymentEventReceived Refund(TestPayment payment, long refunded) =>
        payment.Charge("charge.refunded", refunded: refunded, made: TestPayment.Made.AddHours(refunded / 1000));

    private async Task<string?> DeliverAsync(PaymentEventReceived message)
    {
        await _processor.PublishAsync(message);
        return await _db.WaitForOutcomeAsync(message.EventId);
    }

    /// <summary>Delivers the same message again; true once the processor has logged it as a duplicate.</summary>
    private async Task<bool> RedeliverAsync(PaymentEventReceived message)
    {
        await _processor.PublishAsync(message);
        return await Eventually.TrueAsync(
            () => Task.FromResult(_processor.Logs.Lines.Any(
                l => l.Contains(message.EventId, StringComparison.Ordinal) && l.Contains("Duplicate", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20));
    }

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (string[])[item, .. rest]));
}
