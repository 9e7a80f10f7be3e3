using System.Net;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Contracts;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.StuckOrders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// Dispute alerts and the unlinked-event report through the real processor on a fake clock, each test
/// in its own schema, posting to a local Slack stand-in.
/// </summary>
public class DisputeAlertTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private ProcessorSchema _schema = null!;
    private SlackListener _slack = null!;
    private OrderQueries _db = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateSchemaSlackAndClock()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _slack = await SlackListener.StartAsync();
        _db = new OrderQueries(_schema.ConnectionString);
        _clock = new FakeTimeProvider(Start);
    }

    [TearDown]
    public async Task DropSchemaAndSlack()
    {
        await _slack.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Test]
    public async Task DisputeOpened_ReachesSlackAtOnce_WithOrderAmountReasonDeadlineAndTheCommandToLook()
    {
        // The dispatcher's own round is an hour away on a clock that never moves: only the commit can wake it.
        await using var processor = StartProcessor(dispatchInterval: "01:00:00");
        var payment = TestPayment.New(amount: 125000, currency: "jpy");
        await DeliverAsync(processor, payment.Intent("payment_intent.succeeded"));

        var created = payment.Dispute("charge.dispute.created", "needs_response", dueBy: Start.AddDays(7).AddHours(5), reason: "product_not_received");

        await DeliverAsync(processor, created);

        var post = await _slack.WaitForPostAsync(p => p.Names(payment.OrderId), TimeSpan.FromSeconds(20));
        Assert.That(post, Is.Not.Null, "posted without waiting for the dispatcher's round");
        Assert.Multiple(() =>
        {
            Assert.That(post!.Text, Is.EqualTo(
                $":rotating_light: Dispute opened on order {payment.OrderId}: JPY 125,000, reason product_not_received, evidence due 2030-01-22 14:00 UTC"));
            Assert.That(post.Content, Does.Contain("(in 7d 5h)"));
            Assert.That(post.Content, Does.Contain($"`./webhooks orders show {payment.OrderId}`"));
            Assert.That(post.Content, Does.Contain(payment.DisputeId));
        });
        Assert.That(await processor.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None), Is.Zero, "posted once");
        Assert.That(_slack.Accepted, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task DisputeLost_IsAlerted_WithTheAmountFromMinorUnits()
    {
        await using var processor = StartProcessor(dispatchInterval: "01:00:00");
        var payment = TestPayment.New(amount: 2050, currency: "usd");
        await DeliverAsync(processor, payment.Intent("payment_intent.succeeded"));

        await DeliverAsync(processor, payment.Dispute("charge.dispute.closed", "lost", made: Start.AddDays(9)));

        var post = await _slack.WaitForPostAsync(p => p.Text.Contains("Dispute lost", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.That(post?.Text, Is.EqualTo($":x: Dispute lost on order {payment.OrderId}: USD 20.50 went back to the customer"));
        Assert.That(post!.Content, Does.Contain($"`./webhooks orders show {payment.OrderId}`"));
    }

    [Test]
    public async Task OpenDisputeNearItsDeadline_IsAlertedAgainOnce_OnTheFakeClock()
    {
        await using var processor = StartProcessor(dispatchInterval: "00:01:00");
        var payment = TestPayment.New();
        await DeliverAsync(processor, payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(processor, payment.Dispute("charge.dispute.created", "needs_response", dueBy: Start.AddDays(3)));
        Assert.That(await _slack.WaitForPostAsync(p => p.Text.Contains("Dispute opened", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.Not.Null);

        _clock.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromHours(23)));
        Assert.That(await processor.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None), Is.Zero, "25 hours before the deadline: not yet");

        _clock.Advance(TimeSpan.FromHours(2));
        var warning = await _slack.WaitForPostAsync(p => p.Text.Contains("still open", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        Assert.That(warning, Is.Not.Null, "the dispatcher's own timer, on the fake clock, found the deadline near");
        Assert.That(warning!.Text, Is.EqualTo($":alarm_clock: Dispute on order {payment.OrderId} still open: evidence due 2030-01-18 09:00 UTC (in 23h)"));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await processor.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None), Is.Zero);
        Assert.That(_slack.Accepted.Count(p => p.Text.Contains("still open", StringComparison.Ordinal)), Is.EqualTo(1), "once");
    }

    [Test]
    public async Task DisputeWonBeforeItsDeadline_GetsNoDeadlineAlert_AndNoLostAlert()
    {
        await using var processor = StartProcessor(dispatchInterval: "01:00:00");
        var payment = TestPayment.New();
        await DeliverAsync(processor, payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(processor, payment.Dispute("charge.dispute.created", "needs_response", dueBy: Start.AddDays(3)));
        await DeliverAsync(processor, payment.Dispute("charge.dispute.closed", "won", dueBy: Start.AddDays(3), made: Start.AddDays(1)));
        Assert.That(await _slack.WaitForPostAsync(p => p.Text.Contains("Dispute opened", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.Not.Null);

        _clock.Advance(TimeSpan.FromDays(2).Add(TimeSpan.FromMinutes(1)));

        Assert.That(await processor.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None), Is.Zero);
        Assert.That(_slack.Requests, Has.Count.EqualTo(1), "only the opening");
        Assert.That(await _db.DisputeAlertsAsync(), Is.EqualTo(new[] { payment.DisputeId + " opened" }));
    }

    [Test]
    public async Task SlackDown_TheDisputeAlertStaysDue_ThenGoesOutOnTheNextRound()
    {
        _slack.AnswerWith(HttpStatusCode.InternalServerError);
        await using var processor = StartProcessor(dispatchInterval: "00:01:00");
        var payment = TestPayment.New();
        await DeliverAsync(processor, payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(processor, payment.Dispute("charge.dispute.created", "needs_response"));
        var tried = await SlackTriedAsync(payment.OrderId);
        Assert.That(tried, Is.True, "tried at once, and retried, while Slack answered 500");

        _slack.AnswerWith(HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.That(await _slack.WaitForPostAsync(p => p.Names(payment.OrderId), TimeSpan.FromSeconds(20)), Is.Not.Null);
    }

    [Test]
    public async Task TwoProcessorsDispatchingTheSameDueAlertAtOnce_PostItOnce()
    {
        _slack.AnswerWith(HttpStatusCode.InternalServerError);
        await using var one = StartProcessor(dispatchInterval: "01:00:00");
        await using var two = StartProcessor(dispatchInterval: "01:00:00");
        var payment = TestPayment.New();
        await DeliverAsync(one, payment.Intent("payment_intent.succeeded"));
        await DeliverAsync(one, payment.Dispute("charge.dispute.created", "needs_response"));
        var tried = await SlackTriedAsync(payment.OrderId);
        Assert.That(tried, Is.True, "the alert is due: Slack refused it");
        _slack.AnswerWith(HttpStatusCode.OK);

        var posted = await Task.WhenAll(
            one.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None),
            two.Get<DisputeAlertDispatcher>().DispatchOnceAsync(CancellationToken.None));

        Assert.That(posted.Sum(), Is.EqualTo(1));
        Assert.That(_slack.Accepted.Count(p => p.Names(payment.OrderId)), Is.EqualTo(1));
    }

    [Test]
    public async Task ChargeWhosePaymentIntentIsNeverLinked_IsReportedOnceAfterTheThreshold()
    {
        await using var processor = StartProcessor(dispatchInterval: "01:00:00");
        var payment = TestPayment.New();
        var charge = payment.Charge("charge.succeeded", receivedAt: _clock.GetUtcNow());
        Assert.That(await DeliverAsync(processor, charge), Is.EqualTo("waiting"));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That((await ScanAsync(processor)).Unlinked, Is.Zero, "not before the threshold");

        _clock.Advance(TimeSpan.FromMinutes(6));
        var scan = await ScanAsync(processor);

        Assert.That(scan.Unlinked, Is.EqualTo(1));
        var post = _slack.Accepted.Single();
        Assert.That(post.Text, Is.EqualTo(":link: 1 event has waited longer than 15m for its payment intent's order (for 16m)"));
        Assert.That(post.Names(charge.EventId) && post.Names(payment.PaymentIntentId), Is.True);
        Assert.That(post.Content, Does.Contain("./webhooks events list --type payment_intent.created --since 1h"));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.That((await ScanAsync(processor)).Unlinked, Is.Zero, "reported once");
        Assert.That(_slack.Accepted, Has.Count.EqualTo(1));
    }

    [TestCase("00:00:10")]
    [TestCase("31.00:00:00")]
    [TestCase("tomorrow")]
    public void DeadlineWarningOutOfRange_StopsTheProcessAtStart_NamingTheSetting(string warning)
    {
        var failure = Assert.Catch(() => new ProcessorFactory(
            _schema.ConnectionString, new Dictionary<string, string?> { ["Disputes:DeadlineWarning"] = warning }).Start());
        Assert.That(failure!.ToString(), Does.Contain("Disputes__DeadlineWarning").Or.Contain("DeadlineWarning"));
    }

    private ProcessorFactory StartProcessor(string dispatchInterval) =>
        new ProcessorFactory(
            _schema.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Slack:WebhookUrl"] = _slack.Url,
                ["Disputes:DispatchInterval"] = dispatchInterval,
                // Scans are started by the test: a day never passes here unless a test moves the clock.
                ["StuckOrders:ScanInterval"] = "1.00:00:00",
            },
            clock: _clock).Start();

    private async Task<string?> DeliverAsync(ProcessorFactory processor, PaymentEventReceived message)
    {
        await processor.PublishAsync(message);
        return await _db.WaitForOutcomeAsync(message.EventId);
    }

    private static Task<StuckOrderScan> ScanAsync(ProcessorFactory processor) =>
        processor.Get<StuckOrderScanner>().ScanOnceAsync(CancellationToken.None);

    /// <summary>
    /// The alert was posted at once and retried by the Slack client (1 + 3 tries): its retry delays run
    /// on the injected clock, so the clock moves a little at a time, less than a dispatch interval.
    /// </summary>
    private Task<bool> SlackTriedAsync(string orderId) => Eventually.TrueAsync(
        () =>
        {
            if (_slack.Requests.Any(p => p.Names(orderId)))
            {
                _clock.Advance(TimeSpan.FromMilliseconds(500));
            }

            return Task.FromResult(_slack.Requests.Count(p => p.Names(orderId)) >= 4);
        },
        TimeSpan.FromSeconds(20));
}
