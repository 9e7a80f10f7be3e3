using Webhooks.Contracts;
using Webhooks.Processor.Orders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// The payment lifecycle at the applier, against the real PostgreSQL, with real-shaped events read by
/// the processor's own reader: orders found through their payment intent, events that wait for the link
/// in whichever batch it comes, and every delivery order of a lifecycle ending in the same rows.
/// </summary>
public class PaymentLifecycleApplierTests
{
    private ProcessorSchema _schema = null!;
    private OrderQueries _db = null!;

    [SetUp]
    public async Task CreateSchema()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _db = new OrderQueries(_schema.ConnectionString);
    }

    [TearDown]
    public async Task DropSchema() => await _schema.DisposeAsync();

    [TestCase(true, TestName = "DisputeAndTheLinkInOneBatch_DisputeFirst_IsAppliedAtOnce_NothingWaits")]
    [TestCase(false, TestName = "DisputeAndTheLinkInOneBatch_LinkFirst_IsAppliedAtOnce_NothingWaits")]
    public async Task DisputeAndTheEventThatLinksItsPaymentIntent_InOneBatch(bool disputeFirst)
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        var payment = TestPayment.New();
        var link = Read(payment.Intent("payment_intent.succeeded"));
        var dispute = Read(payment.Dispute("charge.dispute.created", "needs_response"));
        OrderEvent[] batch = disputeFirst ? [dispute, link] : [link, dispute];
        var calls = batch.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        var results = await Task.WhenAll(calls);

        Assert.That(harness.Batches, Is.EqualTo(new[] { 2 }), "one batch");
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
        Assert.That(results.Select(r => r.OrderId), Is.All.EqualTo(payment.OrderId), "the dispute's order, found through the link made in the same batch");
        Assert.That(await _db.WaitingCountAsync(), Is.Zero);
        Assert.That((await _db.DisputeAsync(payment.OrderId))?.Status, Is.EqualTo("open"));
        Assert.That(await _db.StatusAsync(payment.OrderId), Is.EqualTo("paid"), "a dispute never changes the order's status");
        Assert.That(await _db.DisputeAlertsAsync(), Is.EqualTo(new[] { payment.DisputeId + " opened" }));
        Assert.That(harness.DisputeAlerts.IsWoken, Is.True, "the dispatcher was woken after the commit");
    }

    [Test]
    public async Task DisputeBeforeItsPaymentIntentIsLinked_Waits_ThenTheBatchThatLinksItAppliesIt()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await harness.StartAsync();
        var payment = TestPayment.New(amount: 4200, currency: "eur");
        var dispute = Read(payment.Dispute("charge.dispute.created", "needs_response"));

        var waiting = await harness.Applier.ApplyAsync(dispute, CancellationToken.None);

        Assert.That(waiting.Outcome, Is.EqualTo(EventOutcome.Waiting));
        Assert.That((await _db.RecordAsync(dispute.EventId)).Outcome, Is.EqualTo("waiting"), "recorded: a second delivery is a duplicate");
        Assert.That(await _db.WaitingCountAsync(), Is.EqualTo(1));
        Assert.That(await _db.DisputeAsync(payment.OrderId), Is.Null);
        Assert.That(await _db.DisputeAlertsAsync(), Is.Empty);
        Assert.That(harness.DisputeAlerts.IsWoken, Is.False, "nothing to alert yet");
        Assert.That((await harness.Applier.ApplyAsync(dispute with { }, CancellationToken.None)).Outcome, Is.EqualTo(EventOutcome.Duplicate));

        var linked = await harness.Applier.ApplyAsync(Read(payment.Intent("payment_intent.created")), CancellationToken.None);

        Assert.That(linked.Outcome, Is.EqualTo(EventOutcome.Applied));
        Assert.That(await _db.WaitingCountAsync(), Is.Zero);
        var record = await _db.RecordAsync(dispute.EventId);
        Assert.That(record.Outcome, Is.EqualTo("applied"));
        Assert.That(record.OrderId, Is.EqualTo(payment.OrderId));
        Assert.That(record.Detail, Does.Contain("waited for payment intent " + payment.PaymentIntentId));
        var stored = await _db.DisputeAsync(payment.OrderId);
        Assert.That(stored, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(stored!.DisputeId, Is.EqualTo(payment.DisputeId));
            Assert.That(stored.Status, Is.EqualTo("open"));
            Assert.That(stored.GatewayStatus, Is.EqualTo("needs_response"));
            Assert.That(stored.Amount, Is.EqualTo(4200));
            Assert.That(stored.Currency, Is.EqualTo("eur"));
            Assert.That(stored.Reason, Is.EqualTo("fraudulent"));
            Assert.That(stored.DueBy, Is.EqualTo(TestPayment.Made.AddDays(10).UtcDateTime));
        });
        Assert.That(await _db.StatusAsync(payment.OrderId), Is.EqualTo("pending"));
        Assert.That(await _db.DisputeAlertsAsync(), Is.EqualTo(new[] { payment.DisputeId + " opened" }));
        Assert.That(harness.DisputeAlerts.IsWoken, Is.True, "the dispatcher was woken after the linking commit");
    }

    [Test]
    public async Task ChargeBeforeItsPaymentIntentIsLinked_CreatesTheOrderWhenLinked_AsRefundedWithItsAmounts()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await harness.StartAsync();
        var payment = TestPayment.New(amount: 1999);
        var refund = Read(payment.Charge("charge.refunded", refunded: 1999));

        Assert.That((await harness.Applier.ApplyAsync(refund, CancellationToken.None)).Outcome, Is.EqualTo(EventOutcome.Waiting));
        Assert.That(await _db.OrderAsync(payment.OrderId), Is.Null, "the order is not known yet");

        var link = await harness.Applier.ApplyAsync(Read(payment.Intent("payment_intent.created")), CancellationToken.None);

        Assert.That(link.Outcome, Is.EqualTo(EventOutcome.Applied));
        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("refunded", 1999, "usd", 1999)));
        Assert.That((await _db.RecordAsync(refund.EventId)).Detail, Does.Contain("pending -> refunded"));
    }

    private static readonly string[] FullLifecycle =
        ["intent succeeded", "partial refund", "full refund", "dispute created", "dispute under review", "dispute lost"];

    [Test]
    public async Task EveryDeliveryOrderOfAFullLifecycle_OneEventPerBatch_EndsInTheSameRows()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await harness.StartAsync();
        var orders = 0;
        // 6! = 720 orders of delivery would take long here; every order of five of the events (120),
        // each also with the sixth in every position, is enough to meet each pair both ways round.
        foreach (var order in Permutations(FullLifecycle[..5]))
        {
            var payment = TestPayment.New(amount: 5000);
            var sixth = orders % 6;
            string[] steps = [.. order.Take(sixth), FullLifecycle[5], .. order.Skip(sixth)];
            foreach (var step in steps)
            {
                var result = await harness.Applier.ApplyAsync(Read(Step(payment, step)), CancellationToken.None);
                Assert.That(result.Outcome, Is.AnyOf(EventOutcome.Applied, EventOutcome.Unchanged, EventOutcome.Waiting), string.Join(" > ", steps));
            }

            await AssertEndedRightAsync(payment, steps);
            orders++;
        }

        Assert.That(orders, Is.EqualTo(120));
        Assert.That(await _db.WaitingCountAsync(), Is.Zero, "every waiting event was applied when its payment intent was linked");
    }

    [Test]
    public async Task FullLifecycleShuffledIntoOneBatch_WithCopies_EndsInTheSameRows()
    {
        var seed = Environment.TickCount;
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var payments = Enumerable.Range(0, 40).Select(_ => TestPayment.New(amount: 5000)).ToList();
        var events = payments
            .SelectMany(p => FullLifecycle.Select(step => Read(Step(p, step))))
            .SelectMany(e => random.Next(4) == 0 ? new[] { e, e } : [e])
            .OrderBy(_ => random.Next())
            .ToList();
        await using var harness = await ApplierHarness.CreateAsync(_schema, batchSize: 1000);
        var calls = events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        var outcomes = (await Task.WhenAll(calls)).Select(r => r.Outcome).ToList();

        Assert.That(harness.Batches, Is.EqualTo(new[] { events.Count }));
        var copies = events.Count - (payments.Count * FullLifecycle.Length);
        Assert.That(outcomes.Count(o => o == EventOutcome.Duplicate), Is.EqualTo(copies), "each copy, and only copies");
        Assert.That(outcomes, Has.None.EqualTo(EventOutcome.Waiting), "each payment intent was linked in the same batch");
        foreach (var payment in payments)
        {
            await AssertEndedRightAsync(payment, FullLifecycle);
        }
    }

    [Test]
    public async Task TwoProcessorsApplyingLinksAndDisputesOfTheSamePaymentsAtOnce_StrandNoEvent()
    {
        await using var links = await ApplierHarness.CreateAsync(_schema);
        await using var disputes = await ApplierHarness.CreateAsync(_schema);
        var payments = Enumerable.Range(0, 80).Select(_ => TestPayment.New()).ToList();
        var linkCalls = payments.Select(p => links.Applier.ApplyAsync(Read(p.Intent("payment_intent.created")), CancellationToken.None)).ToList();
        var disputeCalls = payments
            .Select(p => disputes.Applier.ApplyAsync(Read(p.Dispute("charge.dispute.created", "needs_response")), CancellationToken.None))
            .ToList();

        await Task.WhenAll(links.StartAsync(), disputes.StartAsync());
        await Task.WhenAll(linkCalls.Concat(disputeCalls));

        TestContext.Out.WriteLine($"{disputeCalls.Count(c => c.Result.Outcome == EventOutcome.Waiting)} disputes waited, the others found their link");
        Assert.That(await _db.WaitingCountAsync(), Is.Zero, "a dispute never waits for a link that committed before it");
        foreach (var payment in payments)
        {
            Assert.That((await _db.DisputeAsync(payment.OrderId))?.Status, Is.EqualTo("open"), payment.OrderId);
        }
    }

    [Test]
    public async Task DisputeClosedBeforeItWasKnownToBeOpen_IsAlertedAsLostOnly_ALateCreatedNeverReopensIt()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await harness.StartAsync();
        var payment = TestPayment.New();
        await harness.Applier.ApplyAsync(Read(payment.Intent("payment_intent.succeeded")), CancellationToken.None);

        var closed = await harness.Applier.ApplyAsync(
            Read(payment.Dispute("charge.dispute.closed", "lost", made: TestPayment.Made.AddDays(12))), CancellationToken.None);
        var late = await harness.Applier.ApplyAsync(Read(payment.Dispute("charge.dispute.created", "needs_response")), CancellationToken.None);

        Assert.That(closed.Outcome, Is.EqualTo(EventOutcome.Applied));
        Assert.That(late.Outcome, Is.EqualTo(EventOutcome.Unchanged));
        Assert.That((await _db.DisputeAsync(payment.OrderId))?.Status, Is.EqualTo("lost"));
        Assert.That(await _db.DisputeAlertsAsync(), Is.EqualTo(new[] { payment.DisputeId + " lost" }), "no alert that it opened: it is already over");
    }

    [Test]
    public async Task AmountsBeyondWhatADoubleHolds_AreKeptToTheLastMinorUnit()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await harness.StartAsync();
        // 2^53 + 1: a double would round it to 2^53.
        const long amount = 9_007_199_254_740_993;
        var payment = TestPayment.New(amount: amount, currency: "jpy");

        await harness.Applier.ApplyAsync(Read(payment.Intent("payment_intent.succeeded")), CancellationToken.None);
        await harness.Applier.ApplyAsync(Read(payment.Charge("charge.refunded", refunded: amount - 1)), CancellationToken.None);

        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("partially_refunded", amount, "jpy", amount - 1)));
    }

    private async Task AssertEndedRightAsync(TestPayment payment, IEnumerable<string> steps)
    {
        var why = string.Join(" > ", steps);
        Assert.That(await _db.PaymentAsync(payment.OrderId), Is.EqualTo(new PaymentRow("refunded", 5000, "usd", 5000)), why);
        var dispute = await _db.DisputeAsync(payment.OrderId);
        Assert.That(dispute?.Status, Is.EqualTo("lost"), why);
        Assert.That(dispute?.GatewayStatus, Is.EqualTo("lost"), why);
        Assert.That(dispute?.FundsWithdrawnAt, Is.Null, why);
        Assert.That(dispute?.ClosedAt, Is.EqualTo(TestPayment.Made.AddDays(12).UtcDateTime), why);
        Assert.That(await _db.DisputeAlertsAsync(), Does.Contain(payment.DisputeId + " lost"), why);
    }

    private static PaymentEventReceived Step(TestPayment payment, string step) => step switch
    {
        "intent succeeded" => payment.Intent("payment_intent.succeeded"),
        "partial refund" => payment.Charge("charge.refunded", refunded: 1500, made: TestPayment.Made.AddDays(1)),
        "full refund" => payment.Charge("charge.refunded", refunded: 5000, made: TestPayment.Made.AddDays(2)),
        "dispute created" => payment.Dispute("charge.dispute.created", "needs_response"),
        "dispute under review" => payment.Dispute("charge.dispute.updated", "under_review", made: TestPayment.Made.AddDays(3)),
        "dispute lost" => payment.Dispute("charge.dispute.closed", "lost", made: TestPayment.Made.AddDays(12)),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    private static OrderEvent Read(PaymentEventReceived message) => PaymentEventReader.Read(message);

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (string[])[item, .. rest]));
}
