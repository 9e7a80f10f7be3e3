using System.Net;
using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>Every status of the contract through the real HTTP pipeline, on the real PostgreSQL and RabbitMQ.</summary>
public class WebhookEndpointTests
{
    private const int MaxBodyBytes = 4096;
    private ReceiverFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartReceiver()
    {
        _factory = new ReceiverFactory(new Dictionary<string, string?>
        {
            ["Webhooks:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopReceiver()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task StripeEvent_Verified_IsAcceptedAndStored()
    {
        var id = TestEvents.NewEventId();

        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));

        await HttpAssertions.ExpectAckAsync(response, "accepted", id);
        var stored = await _factory.Store.GetAsync("stripe", id);
        Assert.That(stored, Is.Not.Null);
        Assert.That(stored!.EventType, Is.EqualTo("payment_intent.succeeded"));
        Assert.That(stored.Headers, Does.Contain("stripe-signature"));
    }

    [Test]
    public async Task StripeEvent_SignedWithRotatedSecret_IsAccepted()
    {
        var id = TestEvents.NewEventId();

        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id), ReceiverFactory.StripeSecondSecret));

        await HttpAssertions.ExpectAckAsync(response, "accepted", id);
    }

    [Test]
    public async Task SameEventTwice_SecondIsDuplicate_NothingNewStored()
    {
        var id = TestEvents.NewEventId();
        var body = TestEvents.StripeBody(id);

        using var first = await _client.SendAsync(TestEvents.Stripe(body));
        using var second = await _client.SendAsync(TestEvents.Stripe(body));

        await HttpAssertions.ExpectAckAsync(first, "accepted", id);
        await HttpAssertions.ExpectAckAsync(second, "duplicate", id);
        Assert.That(await _factory.Store.CountEventsAsync("stripe", id), Is.EqualTo(1));
    }

    [Test]
    public async Task StandardEvent_KeyIsTheSignedWebhookId()
    {
        var webhookId = $"msg_{Guid.NewGuid():N}";

        using var response = await _client.SendAsync(TestEvents.Standard(webhookId, """{"type":"invoice.paid","data":{"id":"in_1"}}"""));

        await HttpAssertions.ExpectAckAsync(response, "accepted", webhookId);
        Assert.That(await _factory.Store.CountEventsAsync("standard", webhookId), Is.EqualTo(1));
    }

    [Test]
    public async Task StandardEvent_WithSvixHeaders_IsAccepted()
    {
        var webhookId = $"msg_{Guid.NewGuid():N}";

        using var response = await _client.SendAsync(TestEvents.Standard(webhookId, """{"type":"invoice.paid"}""", headerPrefix: "svix"));

        await HttpAssertions.ExpectAckAsync(response, "accepted", webhookId);
    }

    [Test]
    public async Task HmacEvent_KeyFromHeader_IsAccepted()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes("""{"action":"completed","type":"check_run"}""");
        var request = TestEvents.Json("/webhooks/github", body);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + TestSigner.HmacHex(ReceiverFactory.HmacSecret, body));
        request.Headers.Add("X-GitHub-Delivery", delivery);

        using var response = await _client.SendAsync(request);

        await HttpAssertions.ExpectAckAsync(response, "accepted", delivery);
    }

    [Test]
    public async Task HmacEvent_KeyFromBodyField_IsAccepted()
    {
        var id = $"d_{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes("{\"type\":\"order.paid\",\"data\":{\"id\":\"" + id + "\"}}");
        var request = TestEvents.Json("/webhooks/shop", body);
        request.Headers.Add("X-Signature", TestSigner.HmacBase64(ReceiverFactory.HmacSecret, body));

        using var response = await _client.SendAsync(request);

        await HttpAssertions.ExpectAckAsync(response, "accepted", id);
    }

    [TestCase("[1,2,3]", "not a JSON object")]
    [TestCase("""{"type":"payment_intent.succeeded"}""", "idempotency key")]
    [TestCase("""{"id":42,"type":"x"}""", "idempotency key")]
    [TestCase("""{"id":"","type":"x"}""", "idempotency key")]
    [TestCase("""{"id":null,"type":"x"}""", "idempotency key")]
    [TestCase("""{"id":"evt_a","id":"evt_b"}""", "not valid")]
    [TestCase("""{"id":"evt_a",""", "not valid")]
    [TestCase("""{"id":"evt_a","type":"payment\u0000intent"}""", "event type")]
    [TestCase("""{"id":"evt_a\ud800","type":"x"}""", "idempotency key")]
    public async Task VerifiedBody_NotAnObjectWithKey_Is400AndNotStored(string body, string reason)
    {
        using var response = await _client.SendAsync(TestEvents.Stripe(body));

        var problem = await HttpAssertions.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(reason));
        Assert.That(await _factory.Store.CountEventsAsync("stripe", ["evt_a", "evt_b"]), Is.Zero);
    }

    [Test]
    public async Task KeyThousandsOfCharactersLong_Is400()
    {
        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(new string('e', 3000))));

        await HttpAssertions.ExpectAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task WrongSignature_Is401WithReason_AndNotStored()
    {
        var id = TestEvents.NewEventId();

        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id), "whsec_someone_else"));

        var problem = await HttpAssertions.ExpectAsync(response, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("matches an active signing secret"));
        Assert.That(await _factory.Store.CountEventsAsync("stripe", id), Is.Zero);
    }

    [Test]
    public async Task MissingSignatureHeader_Is401()
    {
        var request = TestEvents.Json("/webhooks/stripe", Encoding.UTF8.GetBytes(TestEvents.StripeBody(TestEvents.NewEventId())));

        using var response = await _client.SendAsync(request);

        var problem = await HttpAssertions.ExpectAsync(response, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("missing"));
    }

    [Test]
    public async Task StaleTimestamp_Is401()
    {
        var id = TestEvents.NewEventId();

        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id), timestamp: TestSigner.Now() - 3600));

        var problem = await HttpAssertions.ExpectAsync(response, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("clock"));
    }

    [TestCase("/webhooks/paypal")]
    [TestCase("/webhooks/..%2Fstripe")]
    [TestCase("/webhooks/stripe%2Fextra")]
    public async Task UnknownProvider_Is404(string path)
    {
        using var response = await _client.SendAsync(TestEvents.Json(path, Encoding.UTF8.GetBytes("{}")));

        await HttpAssertions.ExpectAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task BodyOverLimit_WithContentLength_Is413()
    {
        var id = TestEvents.NewEventId();
        var padded = $"\"object\":\"event\",\"padding\":\"{new string('x', MaxBodyBytes)}\"";
        var body = TestEvents.StripeBody(id).Replace("\"object\":\"event\"", padded, StringComparison.Ordinal);

        using var response = await _client.SendAsync(TestEvents.Stripe(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await _factory.Store.CountEventsAsync("stripe", id), Is.Zero);
    }

    [Test]
    public async Task BodyOverLimit_Chunked_Is413()
    {
        var body = new byte[MaxBodyBytes * 3];
        Array.Fill(body, (byte)' ');
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StreamContent(new NonSeekableStream(body)) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Stripe-Signature", TestSigner.StripeHeader(ReceiverFactory.StripeSecret, body, TestSigner.Now()));

        using var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task HealthEndpoints_AnswerWhileDatabaseIsUp()
    {
        using var live = await _client.GetAsync("/health/live");
        using var ready = await _client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>A body with no known length, so the client must send it chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
