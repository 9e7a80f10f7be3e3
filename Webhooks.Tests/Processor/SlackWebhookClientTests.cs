using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Processor.Slack;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>The Slack client against a local stand-in: retries on 5xx, Retry-After on 429, and the URL kept out of logs.</summary>
public class SlackWebhookClientTests
{
    private SlackListener _slack = null!;
    private CapturedLogs _logs = null!;

    [SetUp]
    public async Task StartSlack()
    {
        _slack = await SlackListener.StartAsync();
        _logs = new CapturedLogs();
    }

    [TearDown]
    public async Task StopSlack() => await _slack.DisposeAsync();

    [Test]
    public async Task ServerErrors_AreRetried_ThenThePostGoesThrough()
    {
        _slack.AnswerNextWith(HttpStatusCode.InternalServerError);
        _slack.AnswerNextWith(HttpStatusCode.BadGateway);

        var delivered = await Client().PostAsync(new SlackMessage("hello"), CancellationToken.None);

        Assert.That(delivered, Is.True);
        Assert.That(_slack.Requests.Select(r => r.Status), Is.EqualTo(new[] { 500, 502, 200 }));
    }

    [Test]
    public async Task TooManyRequests_WithRetryAfter_WaitsThatLong_OnTheInjectedClock_ThenPosts()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        _slack.AnswerNextWith(HttpStatusCode.TooManyRequests, retryAfterSeconds: 2);

        var post = Client(clock).PostAsync(new SlackMessage("hello"), CancellationToken.None);
        Assert.That(await Eventually.TrueAsync(() => Task.FromResult(_slack.Requests.Count == 1), TimeSpan.FromSeconds(10)), Is.True);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.That(post.IsCompleted, Is.False, "Retry-After: 2 is honoured, not the 50 ms backoff");
        Assert.That(_slack.Requests, Has.Count.EqualTo(1));
        clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.That(await post.WaitAsync(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(_slack.Requests.Select(r => r.Status), Is.EqualTo(new[] { 429, 200 }));
    }

    [Test]
    public async Task TooManyRequests_RetryAfterLongerThanAllowed_GivesUp_AndSendsNothingBeforeThatTime()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var client = Client(clock, maxRetryAfter: TimeSpan.FromSeconds(1));
        _slack.AnswerNextWith(HttpStatusCode.TooManyRequests, retryAfterSeconds: 120);

        Assert.That(await client.PostAsync(new SlackMessage("first"), CancellationToken.None), Is.False);
        Assert.That(await client.PostAsync(new SlackMessage("too early"), CancellationToken.None), Is.False);
        Assert.That(_slack.Requests, Has.Count.EqualTo(1), "nothing is sent while Slack asked to wait");

        clock.Advance(TimeSpan.FromSeconds(121));
        Assert.That(await client.PostAsync(new SlackMessage("later"), CancellationToken.None), Is.True);
    }

    [Test]
    public async Task SlackUnreachable_IsNotDelivered_AndTheUrlNeverReachesTheLog()
    {
        var closedPort = new Uri(_slack.Url).Port;
        await _slack.DisposeAsync();
        var stopwatch = Stopwatch.StartNew();

        var client = Client(url: $"http://127.0.0.1:{closedPort}/services/T0/B0/{_slack.SecretToken}");
        var delivered = await client.PostAsync(new SlackMessage("hello"), CancellationToken.None);

        Assert.That(delivered, Is.False);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "a few quick retries, not a hang");
        Assert.That(_logs.Lines.Any(l => l.Contains("could not be reached", StringComparison.Ordinal)), Is.True);
        Assert.That(_logs.Lines.Where(l => l.Contains(_slack.SecretToken, StringComparison.Ordinal)), Is.Empty);
        _slack = await SlackListener.StartAsync();
    }

    private SlackWebhookClient Client(TimeProvider? clock = null, TimeSpan? maxRetryAfter = null, string? url = null)
    {
        var options = new SlackOptions
        {
            WebhookUrl = url ?? _slack.Url,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(30),
        };
        var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        return new SlackWebhookClient(
            new PlainHttpClientFactory(), Options.Create(options), clock ?? TimeProvider.System, loggerFactory.CreateLogger<SlackWebhookClient>());
    }

    private sealed class PlainHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
