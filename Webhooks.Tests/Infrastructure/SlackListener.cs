using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A local stand-in for a Slack incoming webhook on 127.0.0.1: records every post and answers with
/// the status it is told to (200 by default; 500 or 429 with Retry-After to play an outage).
/// </summary>
public sealed class SlackListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackPost> _posts = new();
    private readonly ConcurrentQueue<Answer> _next = new();
    private volatile Answer _answer = new(HttpStatusCode.OK, null);

    private SlackListener(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The part of the URL that is secret in a real one: it must never reach a log.</summary>
    public string SecretToken { get; } = "xoxtest" + Guid.NewGuid().ToString("N");

    public string Url { get; private set; } = "";

    /// <summary>Every request, including those answered with an error.</summary>
    public IReadOnlyCollection<SlackPost> Requests => _posts;

    /// <summary>The posts Slack took (answered 2xx).</summary>
    public IReadOnlyList<SlackPost> Accepted => _posts.Where(p => p.Status < 300).ToList();

    public static async Task<SlackListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new SlackListener(app);
        app.MapPost("/services/{**rest}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var answer = listener._next.TryDequeue(out var scripted) ? scripted : listener._answer;
            listener._posts.Enqueue(new SlackPost(body, (int)answer.Status, TimeProvider.System.GetUtcNow()));
            context.Response.StatusCode = (int)answer.Status;
            if (answer.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsync(answer.Status == HttpStatusCode.OK ? "ok" : "error");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = $"{address}/services/T000TEST/B000TEST/{listener.SecretToken}";
        return listener;
    }

    /// <summary>From now on, answer every request with <paramref name="status"/>.</summary>
    public void AnswerWith(HttpStatusCode status, int? retryAfterSeconds = null) => _answer = new Answer(status, retryAfterSeconds);

    /// <summary>Answer only the next request with <paramref name="status"/>, then as before.</summary>
    public void AnswerNextWith(HttpStatusCode status, int? retryAfterSeconds = null) => _next.Enqueue(new Answer(status, retryAfterSeconds));

    /// <summary>Waits until an accepted post satisfies <paramref name="match"/>; returns it, or null after the timeout.</summary>
    public async Task<SlackPost?> WaitForPostAsync(Func<SlackPost, bool> match, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow().UtcDateTime + timeout;
        while (TimeProvider.System.GetUtcNow().UtcDateTime < deadline)
        {
            var found = Accepted.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return Accepted.FirstOrDefault(match);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Answer(HttpStatusCode Status, int? RetryAfterSeconds);
}
