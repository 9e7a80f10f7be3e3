using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Webhooks.Tests.Infrastructure;
using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Protection;

/// <summary>
/// The guard in front of signature checks, on a real Kestrel with callers on different loopback
/// addresses (all of 127.0.0.0/8 reaches the server, and each is its own remote address).
/// </summary>
// Not in parallel: every host in the test process exports every meter of the same name.
[NonParallelizable]
public partial class FloodProtectionTests
{
    private const int Threshold = 5;
    private const int Flood = 120;
    private const int FloodConcurrency = 8;

    private static readonly IPAddress Good = IPAddress.Parse("127.0.0.1");

    [Test]
    public async Task AFloodOfBadSignaturesFromOneAddress_DoesNotStopGoodEventsFromAnother()
    {
        await using var receiver = await StartAsync(new()
        {
            ["Protection:FailureThreshold"] = $"{Threshold}",
            ["Protection:LimitedRequestsPerSecond"] = "0.01",
            ["Protection:LimitedBurst"] = "1",
        });
        var attacker = IPAddress.Parse("127.0.0.2");

        var flood = Task.WhenAll(Enumerable.Range(0, FloodConcurrency).Select(async _ =>
        {
            var answers = new List<RawResponse>();
            for (var i = 0; i < Flood / FloodConcurrency; i++)
            {
                answers.Add(await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody()), attacker));
            }

            return answers;
        }));
        var good = new List<(string Id, RawResponse Answer)>();
        for (var i = 0; i < 20; i++)
        {
            var id = TestEvents.NewEventId();
            good.Add((id, await RawHttp.SendAsync(receiver.Server, Signed(Utf8(TestEvents.StripeBody(id))), Good)));
        }

        var floodAnswers = (await flood).SelectMany(a => a).ToList();
        var unauthorized = floodAnswers.Count(a => a.Status == 401);
        var limited = floodAnswers.Where(a => a.Status == 429).ToList();
        var stored = await receiver.Factory.Store.CountEventsAsync("stripe", good.Select(g => g.Id));
        var counted = await ReceivedAsync(receiver, "rate_limited");
        Assert.Multiple(() =>
        {
            Assert.That(good.Select(g => g.Answer.Status), Is.All.EqualTo(200), "every good event from the other address was accepted");
            Assert.That(stored, Is.EqualTo(good.Count));
            Assert.That(floodAnswers.Select(a => a.Status), Is.All.AnyOf(401, 429));
            Assert.That(
                unauthorized,
                Is.LessThanOrEqualTo(Threshold + FloodConcurrency),
                "only the failures before the limit (and those already in flight) were verified");
            Assert.That(limited, Has.Count.GreaterThanOrEqualTo(Flood - Threshold - FloodConcurrency));
            Assert.That(limited.Select(a => int.Parse(a.Header("Retry-After")!, CultureInfo.InvariantCulture)), Is.All.GreaterThanOrEqualTo(1));
            Assert.That(counted, Is.EqualTo(limited.Count), "each 429 is counted in webhooks.events.received");
        });
    }

    [Test]
    public async Task ALimitedAddress_IsAnswered429BeforeItsBodyIsRead()
    {
        // Had the body been read, the answer would be 408 (the body never comes); 429 says it was not.
        await using var receiver = await StartAsync(new() { ["Protection:FailureThreshold"] = $"{Threshold}", ["Protection:BodyTimeout"] = "00:01:00" });
        var attacker = IPAddress.Parse("127.0.0.3");
        for (var i = 0; i < Threshold; i++)
        {
            Assert.That((await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody()), attacker)).Status, Is.EqualTo(401));
        }

        var body = ValidBody();
        var request = Signed(body);
        var answer = await RawHttp.ExchangeAsync(receiver.Server, async (stream, ct) =>
        {
            await stream.WriteAsync(request.AsMemory(0, request.Length - body.Length), ct);
            await Task.Delay(Timeout.Infinite, ct);
        }, attacker);

        Assert.That(answer.Status, Is.EqualTo(429), answer.ToString());
        Assert.That(answer.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(answer.Header("Content-Type"), Does.StartWith("application/problem+json"));
        Assert.That(answer.Header("Retry-After"), Is.Not.Null);
    }

    [Test]
    public async Task BeyondTheUnverifiedCap_NewRequestsGet503AtOnce_AndGoodEventsFlowAgainWhenSlotsFree()
    {
        // No minimum body rate: Kestrel would end the stalled requests (408) after its five-second grace,
        // and a slow machine could start the second after the first has ended; they must overlap.
        await using var receiver = await StartAsync(new()
        {
            ["Protection:MaxConcurrentUnverified"] = "2",
            ["Protection:BodyTimeout"] = "00:01:00",
            ["Protection:MinBodyBytesPerSecond"] = "0",
        });
        var slow = IPAddress.Parse("127.0.0.4");
        var body = ValidBody();
        var partial = Signed(body)[..^body.Length];
        var stalled = new List<Socket>
        {
            await RawHttp.OpenStalledAsync(receiver.Server, partial, slow),
            await RawHttp.OpenStalledAsync(receiver.Server, partial, slow),
        };

        RawResponse? busy = null;
        try
        {
            // The two stalled requests take both slots as soon as Kestrel hands them to the endpoint.
            Assert.That(await Eventually.TrueAsync(async () =>
            {
                busy = await RawHttp.SendAsync(receiver.Server, Signed(ValidBody()), Good);
                return busy.Status == 503;
            }, TimeSpan.FromSeconds(10)), Is.True, $"a request over the cap is refused; the last answer was {busy}");
        }
        finally
        {
            stalled.ForEach(s => s.Dispose());
        }

        Assert.That(busy!.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "refused at once, not after waiting for a slot");
        Assert.That(busy.Header("Retry-After"), Is.EqualTo("1"));
        Assert.That(busy.Header("Content-Type"), Does.StartWith("application/problem+json"));
        Assert.That(await ReceivedAsync(receiver, "overloaded"), Is.GreaterThanOrEqualTo(1));
        var id = TestEvents.NewEventId();
        RawResponse? after = null;
        Assert.That(await Eventually.TrueAsync(async () =>
        {
            after = await RawHttp.SendAsync(receiver.Server, Signed(Utf8(TestEvents.StripeBody(id))), Good);
            return after.Status == 200;
        }, TimeSpan.FromSeconds(10)), Is.True, $"hanging up gives the slots back; the last answer was {after}");
    }

    [Test]
    public async Task BehindATrustedProxy_TheForwardedCallerIsLimited_NotTheProxy()
    {
        var proxy = IPAddress.Parse("127.0.0.5");
        await using var receiver = await StartAsync(new()
        {
            ["Protection:FailureThreshold"] = $"{Threshold}",
            ["Protection:LimitedRequestsPerSecond"] = "0.01",
            ["Protection:TrustedProxies:0"] = "127.0.0.5/32",
        });
        for (var i = 0; i < Threshold; i++)
        {
            await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody(), "X-Forwarded-For: 203.0.113.9"), proxy);
        }

        var attacker = await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody(), "X-Forwarded-For: 203.0.113.9"), proxy);
        var gateway = await RawHttp.SendAsync(receiver.Server, Signed(ValidBody(), "X-Forwarded-For: 198.51.100.20"), proxy);
        var spoofed = await RawHttp.SendAsync(receiver.Server, Signed(ValidBody(), "X-Forwarded-For: 203.0.113.9, 198.51.100.20"), proxy);

        Assert.That(attacker.Status, Is.EqualTo(429), "the caller the proxy named is limited");
        Assert.That(gateway.Status, Is.EqualTo(200), "another caller through the same proxy is not");
        Assert.That(spoofed.Status, Is.EqualTo(200), "only the entry the proxy appended counts, not what the caller wrote before it");
    }

    [Test]
    public async Task WithoutTrustedProxies_XForwardedForIsIgnored_SoACallerCannotChooseItsAddress()
    {
        var attacker = IPAddress.Parse("127.0.0.6");
        await using var receiver = await StartAsync(
            new() { ["Protection:FailureThreshold"] = $"{Threshold}", ["Protection:LimitedRequestsPerSecond"] = "0.01" });
        for (var i = 0; i < Threshold; i++)
        {
            await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody(), $"X-Forwarded-For: 203.0.113.{i}"), attacker);
        }

        var next = await RawHttp.SendAsync(receiver.Server, BadlySigned(ValidBody(), "X-Forwarded-For: 198.51.100.99"), attacker);

        Assert.That(next.Status, Is.EqualTo(429), next.ToString());
    }

    private static byte[] Signed(byte[] body, params string[] extraHeaders) =>
        Post("/webhooks/stripe", body, ["Content-Type: application/json", $"Stripe-Signature: {StripeSignature(body)}", .. extraHeaders]);

    private static byte[] BadlySigned(byte[] body, params string[] extraHeaders) =>
        Post("/webhooks/stripe", body, ["Content-Type: application/json", $"Stripe-Signature: t={TestSigner.Now()},v1={new string('b', 64)}", .. extraHeaders]);

    private static async Task<RealReceiver> StartAsync(Dictionary<string, string?> settings)
    {
        var factory = new ReceiverFactory(settings);
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        return new RealReceiver(factory, client.BaseAddress!);
    }

    /// <summary><c>webhooks.events.received</c> for stripe with this outcome, from the receiver's own /metrics.</summary>
    private static async Task<long> ReceivedAsync(RealReceiver receiver, string outcome)
    {
        using var client = new HttpClient { BaseAddress = receiver.Server };
        var scrape = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = CounterLine().Matches(scrape).FirstOrDefault(m =>
            m.Groups["labels"].Value.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal)
            && m.Groups["labels"].Value.Contains("provider=\"stripe\"", StringComparison.Ordinal));
        return match is null ? 0 : long.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^webhooks_events_received_total\{(?<labels>[^}]*)\} (?<value>[0-9]+)", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    private sealed record RealReceiver(ReceiverFactory Factory, Uri Server) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }
}
