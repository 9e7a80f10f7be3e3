using System.Net;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Processor.StuckOrders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// The stuck-order monitor on a fake clock, each test in its own schema (so only its own orders
/// exist), posting to a local Slack stand-in.
/// </summary>
public class StuckOrderMonitorTests
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
    public async Task PendingPastTheThreshold_IsAlertedOnce_SeveralInOnePost_NotRepeatedOnTheNextScan()
    {
        await using var processor = StartProcessor();
        var first = await CreatePendingAsync(processor);
        var second = await CreatePendingAsync(processor);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var young = await CreatePendingAsync(processor);
        _clock.Advance(TimeSpan.FromMinutes(6));

        var scan = await ScanAsync(processor);

        Assert.That(scan, Is.EqualTo(new StuckOrderScan(false, 2, 0, 0, 0)));
        var post = _slack.Accepted.Single();
        Assert.Multiple(() =>
        {
            Assert.That(post.Text, Does.Contain("2 orders have been pending for longer than 15m"));
            Assert.That(post.Names(first) && post.Names(second), Is.True, "both stuck orders in one post");
            Assert.That(post.Names(young), Is.False, "an order pending for 6 minutes is not stuck");
            Assert.That(post.Content, Does.Contain("pending for 16m"));
            Assert.That(post.Content, Does.Contain("./webhooks orders stuck --older-than 15m"));
            Assert.That(post.Content, Does.Contain("./webhooks events list --type payment_intent.succeeded --since 1h"));
            Assert.That(post.Json.GetProperty("blocks").GetArrayLength(), Is.GreaterThanOrEqualTo(2));
        });

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await ScanAsync(processor), Is.EqualTo(new StuckOrderScan(false, 0, 0, 0, 0)));
        Assert.That(_slack.Requests, Has.Count.EqualTo(1), "no repeat on the next scan");
    }

    [Test]
    public async Task StillStuckAfterTheEscalationInterval_IsAlertedAgain()
    {
        await using var processor = StartProcessor();
        var orderId = await CreatePendingAsync(processor);
        _clock.Advance(TimeSpan.FromMinutes(16));
        await ScanAsync(processor);

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.That((await ScanAsync(processor)).Escalated, Is.Zero, "not before the escalation interval");

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await ScanAsync(processor), Is.EqualTo(new StuckOrderScan(false, 0, 1, 0, 0)));
        Assert.That(_slack.Accepted, Has.Count.EqualTo(2));
        Assert.That(_slack.Accepted[1].Names(orderId), Is.True);
        Assert.That(_slack.Accepted[1].Content, Does.Contain("still stuck"));
        Assert.That(_slack.Accepted[1].Content, Does.Contain("pending for 1h 17m"));
    }

    [Test]
    public async Task AlertedOrderPaidLater_GetsOneShortAllClear()
    {
        await using var processor = StartProcessor();
        var orderId = await CreatePendingAsync(processor);
        _clock.Advance(TimeSpan.FromMinutes(20));
        await ScanAsync(processor);
        var paid = TestPayments.Event("payment_intent.succeeded", orderId, receivedAt: _clock.GetUtcNow());
        await processor.PublishAsync(paid);
        Assert.That(await _db.WaitForOutcomeAsync(paid.EventId), Is.EqualTo("applied"));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await ScanAsync(processor), Is.EqualTo(new StuckOrderScan(false, 0, 0, 1, 0)));
        var allClear = _slack.Accepted[^1];
        Assert.That(allClear.Text, Does.Contain("1 stuck order is no longer pending"));
        Assert.That(allClear.Content, Does.Contain(orderId + "` is now paid"));

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.That(await ScanAsync(processor), Is.EqualTo(new StuckOrderScan(false, 0, 0, 0, 0)), "neither a second all-clear nor an alert");
        Assert.That(_slack.Accepted, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Restart_DoesNotRepeatAnAlert_AndStillEscalatesLater()
    {
        string orderId;
        await using (var before = StartProcessor())
        {
            orderId = await CreatePendingAsync(before);
            _clock.Advance(TimeSpan.FromMinutes(16));
            Assert.That((await ScanAsync(before)).Alerted, Is.EqualTo(1));
        }

        await using var after = StartProcessor();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await ScanAsync(after), Is.EqualTo(new StuckOrderScan(false, 0, 0, 0, 0)), "the alert state survived the restart");
        Assert.That(_slack.Accepted, Has.Count.EqualTo(1));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.That((await ScanAsync(after)).Escalated, Is.EqualTo(1));
        Assert.That(_slack.Accepted[^1].Names(orderId), Is.True);
    }

    [Test]
    public async Task SlackAnswers500_AlertStaysDue_ThenGoesOutOnceWhenSlackAnswers200()
    {
        await using var processor = StartProcessor();
        var orderId = await CreatePendingAsync(processor);
        _clock.Advance(TimeSpan.FromMinutes(16));
        _slack.AnswerWith(HttpStatusCode.InternalServerError);

        // The Slack client's retry delays run on the injected clock: it moves a second at a time meanwhile.
        Assert.That(await _clock.AdvanceUntilDoneAsync(ScanAsync(processor), TimeSpan.FromSeconds(1)), Is.EqualTo(new StuckOrderScan(false, 0, 0, 0, 1)));
        Assert.That(_slack.Requests, Has.Count.EqualTo(4), "the first attempt and Slack__MaxRetries (3) retries");
        Assert.That(_slack.Requests.All(r => r.Status == 500 && r.Names(orderId)), Is.True);

        _slack.AnswerWith(HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await ScanAsync(processor), Is.EqualTo(new StuckOrderScan(false, 1, 0, 0, 0)));
        Assert.That(_slack.Accepted.Single().Names(orderId), Is.True);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await ScanAsync(processor);
        Assert.That(_slack.Accepted, Has.Count.EqualTo(1), "delivered once, not again");
    }

    [Test]
    public async Task TwoProcessorsScanAtTheSameMoment_OnlyOnePosts()
    {
        await using var one = StartProcessor();
        await using var two = StartProcessor();
        var orderId = await CreatePendingAsync(one);
        _clock.Advance(TimeSpan.FromMinutes(16));

        var scans = await Task.WhenAll(ScanAsync(one), ScanAsync(two));

        Assert.That(scans.Sum(s => s.Alerted), Is.EqualTo(1));
        Assert.That(_slack.Accepted.Count(p => p.Names(orderId)), Is.EqualTo(1));
    }

    [Test]
    public async Task ScanTimer_RunsOnTheInjectedClock()
    {
        await using var processor = StartProcessor(scanInterval: "00:01:00");
        var orderId = await CreatePendingAsync(processor);

        _clock.Advance(TimeSpan.FromMinutes(16));

        Assert.That(await _slack.WaitForPostAsync(p => p.Names(orderId), TimeSpan.FromSeconds(20)), Is.Not.Null, "the monitor's own timer scanned");
    }

    private ProcessorFactory StartProcessor(string scanInterval = "1.00:00:00") =>
        new ProcessorFactory(
            _schema.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Slack:WebhookUrl"] = _slack.Url,
                // Scans are started by the test (except in the timer test): a day never passes here.
                ["StuckOrders:ScanInterval"] = scanInterval,
            },
            clock: _clock).Start();

    private async Task<string> CreatePendingAsync(ProcessorFactory processor)
    {
        var orderId = TestPayments.NewOrderId();
        var created = TestPayments.Event("payment_intent.created", orderId, receivedAt: _clock.GetUtcNow());
        await processor.PublishAsync(created);
        Assert.That(await _db.WaitForOutcomeAsync(created.EventId), Is.EqualTo("applied"));
        return orderId;
    }

    private static Task<StuckOrderScan> ScanAsync(ProcessorFactory processor) =>
        processor.Get<StuckOrderScanner>().ScanOnceAsync(CancellationToken.None);
}
