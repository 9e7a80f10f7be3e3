using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhooks.Contracts;
using Webhooks.Processor.StuckOrders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// The stuck-order alert says why, for each case of issue 15, on a fake clock in a schema of the test's own:
/// an event only waiting for the processor is no stuck order (a backlog is one alert of its own, with an
/// all-clear); a dead-lettered event's alert gives its exact replay command; with reconciliation on, the
/// gateway (a local stand-in for Stripe's API) is asked, and its status of the payment intent is quoted.
/// </summary>
public class StuckOrderDiagnosisTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private ProcessorSchema _schema = null!;
    private SlackListener _slack = null!;
    private StripeStandIn _stripe = null!;
    private OrderQueries _db = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateSchemaSlackStripeAndClock()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _slack = await SlackListener.StartAsync();
        _stripe = await StripeStandIn.StartAsync();
        _db = new OrderQueries(_schema.ConnectionString);
        _clock = new FakeTimeProvider(Start);
    }

    [TearDown]
    public async Task DropSchemaSlackAndStripe()
    {
        await _stripe.DisposeAsync();
        await _slack.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Test]
    public async Task QueuedSuccessEvent_IsNoStuckOrder_TheBacklogIsOneAlert_ThenItsAllClear()
    {
        await using var processor = StartProcessor();
        var payment = TestPayment.New();
        await CreatePendingAsync(processor, payment);
        // Stored, not yet processed: the processor is behind (here: it was never given the message).
        var succeeded = await StoredEvents.StoreAsync(_schema.ConnectionString, payment.Intent("payment_intent.succeeded", receivedAt: _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(16));

        var scan = await ScanAsync(processor);

        Assert.That(scan with { Queued = 0, Backlog = null }, Is.EqualTo(new StuckOrderScan(false, 0, 0, 0, 0)), "nothing alerted as stuck");
        Assert.That(scan.Queued, Is.EqualTo(1));
        Assert.That(scan.Backlog, Is.EqualTo("alerted"));
        var backlog = _slack.Accepted.Single();
        Assert.Multiple(() =>
        {
            Assert.That(backlog.Text, Does.Contain("Processing is behind: 1 stored event waits to be processed, the oldest for 16m"));
            Assert.That(backlog.Content, Does.Contain("./webhooks orders stuck"));
            Assert.That(backlog.Names(payment.OrderId), Is.False, "a backlog alert is no stuck-order alert");
        });

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await ScanAsync(processor)).Backlog, Is.Null, "not repeated before the escalation interval");

        await processor.PublishAsync(succeeded);
        Assert.That(await _db.WaitForOutcomeAsync(succeeded.EventId), Is.EqualTo("applied"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await ScanAsync(processor)).Backlog, Is.EqualTo("cleared"));
        Assert.That(_slack.Accepted, Has.Count.EqualTo(2));
        Assert.That(_slack.Accepted[1].Text, Does.Contain("Processing has caught up"));

        _clock.Advance(TimeSpan.FromHours(2));
        await ScanAsync(processor);
        Assert.That(_slack.Accepted, Has.Count.EqualTo(2), "neither a second all-clear nor an alert: the order is paid");
    }

    [Test]
    public async Task DeadLetteredEvent_TheAlertGivesItsMessageIdAndTheExactReplayCommand()
    {
        await using var processor = StartProcessor();
        var payment = TestPayment.New();
        await CreatePendingAsync(processor, payment);
        var succeeded = await StoredEvents.StoreAsync(_schema.ConnectionString, payment.Intent("payment_intent.succeeded", receivedAt: _clock.GetUtcNow()));
        // The message the processor gets cannot be read (its data.object is no object): dead-lettered at once.
        var unreadable = TestPayments.WithDataObject("payment_intent.succeeded", JsonValue.Create("not an object"), eventId: succeeded.EventId);
        await processor.PublishAsync(succeeded with { Payload = unreadable.Payload });
        Assert.That(await Eventually.TrueAsync(async () => await _db.DeadLetterAlertCountAsync(succeeded.EventId) > 0, TimeSpan.FromSeconds(30)), Is.True);
        var messageId = await ScalarAsync<Guid>("SELECT message_id FROM dead_letter_alerts WHERE event_id = @eventId", new { eventId = succeeded.EventId });
        _clock.Advance(TimeSpan.FromMinutes(16));

        var scan = await ScanAsync(processor);

        Assert.That(scan.Alerted, Is.EqualTo(1));
        var alert = _slack.Accepted.Single(p => p.Names(payment.OrderId) && p.Text.Contains("pending for longer", StringComparison.Ordinal));
        Assert.That(alert.Content, Does.Contain($"dead-lettered: stripe/{succeeded.EventId} (payment_intent.succeeded)"));
        Assert.That(alert.Content, Does.Contain($"message {messageId:D}"));
        Assert.That(alert.Content, Does.Contain($"`./webhooks dlq replay {messageId:D}`"), "the exact command, as code");
    }

    [Test]
    public async Task UnpaidOrder_TheAlertQuotesTheGatewaysStatusOfItsPaymentIntent()
    {
        await using var processor = StartProcessor(reconciliation: true);
        var payment = TestPayment.New();
        _stripe.SetPaymentIntentStatus(payment.PaymentIntentId, "requires_payment_method");
        await CreatePendingAsync(processor, payment);
        _clock.Advance(TimeSpan.FromMinutes(16));

        var scan = await ScanAsync(processor);

        Assert.That(scan.Alerted, Is.EqualTo(1));
        var alert = _slack.Accepted.Single(p => p.Names(payment.OrderId));
        Assert.That(alert.Content, Does.Contain($"not paid: the gateway says payment intent {payment.PaymentIntentId} is requires_payment_method"));
        Assert.That(alert.Content, Does.Contain("the customer has not completed the payment"));
        Assert.That(_stripe.CountRequests($"/v1/payment_intents/{payment.PaymentIntentId}"), Is.EqualTo(1));
        Assert.That(_stripe.AuthorizationHeaders.Distinct(), Is.EqualTo(new[] { $"Bearer {StripeStandIn.Key}" }), "Stripe.net sent the configured key");
    }

    [Test]
    public async Task GatewayRefusesTheKey_TheAlertSaysSoInOneSentence_AndTheKeyIsInNoLogAlertOrRecord()
    {
        const string WrongKey = "rk_test_wrongkey_0123456789abcdefXYZ";
        await using var processor = StartProcessor(reconciliation: true, apiKey: WrongKey);
        var payment = TestPayment.New();
        await CreatePendingAsync(processor, payment);
        _clock.Advance(TimeSpan.FromMinutes(16));

        await ScanAsync(processor);

        var alert = _slack.Accepted.Single(p => p.Names(payment.OrderId));
        Assert.That(
            alert.Content,
            Does.Contain($"the gateway could not be asked about payment intent {payment.PaymentIntentId}: Stripe refused the API key (401 Unauthorized)"));
        Assert.That(_stripe.RefusedKeys, Does.Contain(WrongKey), "the stand-in saw the key, and its answer quoted it");
        var failure = await ScalarAsync<string>(
            "SELECT failure FROM gateway_payment_intents WHERE payment_intent_id = @id", new { id = payment.PaymentIntentId });
        var reported = await Eventually.TrueAsync(
            () => Task.FromResult(processor.Logs.Lines.Any(
                l => l.Contains("Reconciliation pass ended early: Stripe refused the API key", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(_slack.Requests.Where(p => p.Body.Contains(WrongKey, StringComparison.Ordinal)), Is.Empty, "no alert");
            Assert.That(processor.Logs.Lines.Where(l => l.Contains(WrongKey, StringComparison.Ordinal)), Is.Empty, "no log line");
            Assert.That(reported, Is.True, "the start pass reported the refusal in one sentence");
            Assert.That(failure, Does.Not.Contain(WrongKey).And.Contain("Reconciliation__Stripe__ApiKey"));
        });
    }

    [Test]
    public async Task GatewayDown_IsAskedOnceInAScan_AndEachOrdersDiagnosisSaysWhy()
    {
        await using var processor = StartProcessor(reconciliation: true);
        // The processor's first pass at start has asked already: the failures below are the scan's.
        Assert.That(await Eventually.TrueAsync(() => Task.FromResult(_stripe.CountRequests("/v1/events") > 0), TimeSpan.FromSeconds(20)), Is.True);
        var first = TestPayment.New();
        var second = TestPayment.New();
        await CreatePendingAsync(processor, first);
        await CreatePendingAsync(processor, second);
        for (var i = 0; i <= Webhooks.Infrastructure.Reconciliation.StripeGateway.MaxRetries; i++)
        {
            _stripe.FailNext(503);
        }

        _clock.Advance(TimeSpan.FromMinutes(16));

        // The retry delays run on the fake clock: it moves a second at a time while the scan waits.
        var scan = await _clock.AdvanceUntilDoneAsync(ScanAsync(processor), TimeSpan.FromSeconds(1));

        Assert.That(scan.Alerted, Is.EqualTo(2));
        Assert.That(_stripe.CountRequests("/v1/payment_intents"), Is.EqualTo(Webhooks.Infrastructure.Reconciliation.StripeGateway.MaxRetries + 1),
            "one payment intent asked, with its retries; the other not, as it would fail the same way");
        var alert = _slack.Accepted.Single(p => p.Names(first.OrderId));
        Assert.That(alert.Names(second.OrderId), Is.True);
        Assert.That(alert.Content, Does.Contain($"the gateway could not be asked about payment intent {first.PaymentIntentId}: Stripe answered"));
        Assert.That(alert.Content, Does.Contain($"the gateway could not be asked about payment intent {second.PaymentIntentId}: Stripe answered"));
        Assert.That(alert.Content, Does.Contain("503"));
    }

    private ProcessorFactory StartProcessor(bool reconciliation = false, string apiKey = StripeStandIn.Key)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:WebhookUrl"] = _slack.Url,
            // Scans and passes are started by the test: a day never passes here.
            ["StuckOrders:ScanInterval"] = "1.00:00:00",
            ["Reconciliation:Interval"] = "1.00:00:00",
        };
        if (reconciliation)
        {
            settings["Reconciliation:Stripe:ApiKey"] = apiKey;
            settings["Reconciliation:Stripe:ApiBase"] = _stripe.Url;
        }

        return new ProcessorFactory(_schema.ConnectionString, settings, clock: _clock).Start();
    }

    /// <summary>
    /// The order's <c>payment_intent.created</c>, stored as the receiver would and applied: the order is pending and linked to
    /// its payment intent.
    /// </summary>
    private async Task CreatePendingAsync(ProcessorFactory processor, TestPayment payment)
    {
        var created = await StoredEvents.StoreAsync(_schema.ConnectionString, payment.Intent("payment_intent.created", receivedAt: _clock.GetUtcNow()));
        await processor.PublishAsync(created);
        Assert.That(await _db.WaitForOutcomeAsync(created.EventId), Is.EqualTo("applied"));
    }

    // The stand-in answers at once: no retry delay or time-out needs the fake clock to move during a scan.
    private static Task<StuckOrderScan> ScanAsync(ProcessorFactory processor) => processor.Get<StuckOrderScanner>().ScanOnceAsync(CancellationToken.None);

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
