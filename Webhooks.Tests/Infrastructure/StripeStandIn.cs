using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A local stand-in for Stripe's API on 127.0.0.1: <c>GET /v1/events</c> (the events it "did not deliver",
/// newest first, filtered by <c>delivery_success=false</c> and <c>created[gte]</c>, paged with <c>limit</c>,
/// <c>has_more</c> and <c>starting_after</c>) and <c>GET /v1/payment_intents/{id}</c>, with real object shapes
/// from Stripe's fixtures. It checks the bearer key, records every request, and plays failures on demand:
/// 401 (echoing the key, as a careless API might), 429 with Retry-After, 5xx, or no answer at all.
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    public const string Key = "rk_test_standin0123456789abcdefSECRETKEY";

    private readonly WebApplication _app;
    private readonly List<JsonObject> _events = [];
    private readonly ConcurrentDictionary<string, string> _intentStatuses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private readonly ConcurrentQueue<string> _refusedKeys = new();

    private StripeStandIn(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    /// <summary>Every request's path and query, in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Every request's Authorization header, in order.</summary>
    public IReadOnlyCollection<string> AuthorizationHeaders => _authorizations;

    /// <summary>The keys it refused with 401 (and quoted in its answer, as Stripe's own error text does).</summary>
    public IReadOnlyCollection<string> RefusedKeys => _refusedKeys;

    public int PageSize { get; set; } = 100;

    public static async Task<StripeStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new StripeStandIn(app);
        app.MapGet("/v1/events", (Delegate)standIn.ListAsync);
        app.MapGet("/v1/payment_intents/{id}", (Delegate)standIn.PaymentIntentAsync);
        await app.StartAsync();
        standIn.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return standIn;
    }

    /// <summary>An event the gateway did not deliver: the payload of a message built from the fixtures (<see cref="TestPayment"/>).</summary>
    public void AddUndelivered(string payload)
    {
        lock (_events)
        {
            _events.Add(JsonNode.Parse(payload)!.AsObject());
        }
    }

    public void SetPaymentIntentStatus(string paymentIntentId, string status) => _intentStatuses[paymentIntentId] = status;

    /// <summary>The next request is answered with <paramref name="status"/> (0: never answered, until the caller gives up).</summary>
    public void FailNext(int status, int? retryAfterSeconds = null) => _failures.Enqueue(new Failure(status, retryAfterSeconds));

    public int CountRequests(string pathStart) => _requests.Count(r => r.StartsWith(pathStart, StringComparison.Ordinal));

    private async Task<IResult> ListAsync(HttpContext context)
    {
        if (await RefusedAsync(context) is { } refused)
        {
            return refused;
        }

        var query = context.Request.Query;
        var since = long.TryParse(query["created[gte]"], CultureInfo.InvariantCulture, out var gte) ? gte : 0;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var asked) ? Math.Min(asked, PageSize) : PageSize;
        List<JsonObject> listed;
        lock (_events)
        {
            // Newest first, as Stripe lists them; only those it did not deliver when asked for.
            listed = [.. _events.Where(e => e["created"]!.GetValue<long>() >= since).OrderByDescending(e => e["created"]!.GetValue<long>())];
        }

        if (query["delivery_success"] != "false")
        {
            return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "this stand-in lists undelivered events only" } }, statusCode: 400);
        }

        if (query["starting_after"].ToString() is { Length: > 0 } after)
        {
            listed = [.. listed.SkipWhile(e => e["id"]!.GetValue<string>() != after).Skip(1)];
        }

        var page = listed.Take(limit).Select(e => e.DeepClone()).ToArray();
        var list = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page),
            ["has_more"] = listed.Count > limit,
            ["url"] = "/v1/events",
        };
        return Results.Text(list.ToJsonString(), "application/json");
    }

    private async Task<IResult> PaymentIntentAsync(HttpContext context, string id)
    {
        if (await RefusedAsync(context) is { } refused)
        {
            return refused;
        }

        if (!_intentStatuses.TryGetValue(id, out var status))
        {
            return Results.Json(
                new JsonObject { ["error"] = new JsonObject { ["message"] = $"No such payment_intent: '{id}'", ["type"] = "invalid_request_error" } },
                statusCode: 404);
        }

        var intent = TestPayments.Fixture("payment_intent").AsObject();
        intent["id"] = id;
        intent["status"] = status;
        return Results.Text(intent.ToJsonString(), "application/json");
    }

    private async Task<IResult?> RefusedAsync(HttpContext context)
    {
        _requests.Enqueue(context.Request.Path + context.Request.QueryString);
        var authorization = context.Request.Headers.Authorization.ToString();
        _authorizations.Enqueue(authorization);
        var key = authorization.Replace("Bearer ", "", StringComparison.Ordinal);
        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Status == 0)
            {
                // No answer: the caller's time-out must end the wait.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            }

            if (failure.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return failure.Status == 401 ? Refuse(key) : Error(failure.Status, "stand-in failure");
        }

        return key == Key ? null : Refuse(key);
    }

    private IResult Refuse(string key)
    {
        _refusedKeys.Enqueue(key);
        return Error(401, $"Invalid API Key provided: {key}");
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Failure(int Status, int? RetryAfterSeconds);
}
