using System.Diagnostics;
using System.Net;
using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>
/// PostgreSQL taken away from a running receiver through a proxy: refused (a stopped server) or
/// silent (a hung one). Either way the gateway hears 503 with Retry-After within seconds, never 200.
/// </summary>
public class DatabaseOutageTests
{
    private TcpProxy _proxy = null!;
    private ReceiverFactory _factory = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void StartReceiverBehindProxy()
    {
        var target = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres);
        _proxy = new TcpProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = _proxy.Port;
        _factory = new ReceiverFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = target.ConnectionString,
            ["Webhooks:StoreTimeout"] = "00:00:02",
        });
        _client = _factory.CreateClient();
    }

    [TearDown]
    public async Task Stop()
    {
        _proxy.Forward();
        _client.Dispose();
        await _factory.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Test]
    public async Task DatabaseStopped_Is503WithRetryAfter_AndLaterAccepted()
    {
        var id = TestEvents.NewEventId();
        var body = TestEvents.StripeBody(id);
        _proxy.Refuse();

        var watch = Stopwatch.StartNew();
        using var refused = await _client.SendAsync(TestEvents.Stripe(body));
        watch.Stop();

        await HttpAssertions.ExpectAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "answer within a few seconds, not at the gateway's timeout");
        using (var ready = await _client.GetAsync("/health/ready"))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        _proxy.Forward();
        using var retried = await _client.SendAsync(TestEvents.Stripe(body));

        await HttpAssertions.ExpectAckAsync(retried, "accepted", id);
        Assert.That(await _factory.Store.CountEventsAsync("stripe", id), Is.EqualTo(1));
    }

    [Test]
    public async Task DatabaseHangs_Is503WithinTheStoreTimeout()
    {
        var id = TestEvents.NewEventId();
        _proxy.Blackhole();

        var watch = Stopwatch.StartNew();
        using var response = await _client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
        watch.Stop();

        await HttpAssertions.ExpectAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }
}
