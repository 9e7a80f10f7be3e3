using System.Globalization;
using System.Net;
using Webhooks.Tests.Infrastructure;
using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// The hostile-input corpus, through a real Kestrel and the whole receiver on the real PostgreSQL:
/// every case gets the status it should, none a 5xx, and the store holds nothing but the controls.
/// </summary>
public class HostileInputCorpusTests
{
    private ReceiverFactory _factory = null!;
    private Uri _server = null!;
    private long _controls;

    [OneTimeSetUp]
    public void StartReceiver()
    {
        _factory = new ReceiverFactory(new Dictionary<string, string?>
        {
            ["Webhooks:MaxBodyBytes"] = HostileCorpus.MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
            // Short, so that the slow cases end quickly.
            ["Protection:BodyTimeout"] = "00:00:02",
            ["Protection:RequestHeadersTimeout"] = "00:00:02",
            // The corpus sends every case from one address; the limiter has tests of its own and would
            // otherwise answer the later cases 429 instead of what the case is about.
            ["Protection:FailureThreshold"] = "1000000",
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = _factory.CreateClient();
        _server = client.BaseAddress!;
    }

    [OneTimeTearDown]
    public async Task AfterTheCorpus_TheReceiverIsHealthyAndStillAcceptsAGoodEvent()
    {
        try
        {
            using var client = new HttpClient { BaseAddress = _server };
            using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
            var response = await SignedStripe(ValidBody())(_server);

            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        }
        finally
        {
            await _factory.DisposeAsync();
        }
    }

    [Test]
    [Order(0)]
    public async Task Control_AWellFormedSignedEventIsAccepted_SoRefusalsBelowAreAboutTheirInput()
    {
        var response = await SignedStripe(ValidBody())(_server);

        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        _controls = await _factory.Store.CountAllEventsAsync();
        Assert.That(_controls, Is.EqualTo(1));
    }

    [Test]
    [Order(1)]
    public async Task Control_ContentTypeIsNotPartOfTheContract_ASignedJsonObjectSentAsTextPlainIsAccepted()
    {
        var response = await SignedStripe(ValidBody(), "text/plain")(_server);

        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        _controls = await _factory.Store.CountAllEventsAsync();
        Assert.That(_controls, Is.EqualTo(2));
    }

    [TestCaseSource(typeof(HostileCorpus), nameof(HostileCorpus.All))]
    public async Task HostileRequest(HostileCase hostile)
    {
        var response = await hostile.Send(_server);

        Assert.That(response.Status, Is.EqualTo(hostile.ExpectedStatus), response.ToString());
        Assert.That(response.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "answered within 15 s");
        Assert.That(response.After, Does.Not.Contain("HTTP/1.1"), "nothing riding behind the request was answered");
        if (hostile.FromApplication)
        {
            Assert.That(response.Header("Content-Type"), Does.StartWith("application/problem+json"), response.ToString());
            Assert.That(response.Body, Has.Length.LessThan(1024), "a refusal explains itself without echoing the input");
        }

        Assert.That(await _factory.Store.CountAllEventsAsync(), Is.EqualTo(_controls), "the store holds nothing but the controls");
        if (hostile.MustNotEcho is { } quoted)
        {
            Assert.That(response.Body, Does.Not.Contain(quoted), "the answer quotes the request");
            Assert.That(_factory.Logs.Lines.Where(l => l.Contains(quoted, StringComparison.Ordinal)), Is.Empty, "a log line quotes the request");
        }
    }
}
