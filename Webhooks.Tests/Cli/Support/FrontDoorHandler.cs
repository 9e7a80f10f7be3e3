using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// Sits between the simulator and an in-memory receiver, as a load balancer would: records every
/// request and answer, and answers 503 itself (problem+json with Retry-After, like the receiver's
/// own) to the requests <c>failWith503</c> picks. The picker is given the request's event id, the
/// attempt at that event id (1 for the first) and the event's place among those seen (1 for the first).
/// </summary>
public sealed class FrontDoorHandler(HttpMessageHandler receiver, Func<string, int, int, bool> failWith503) : DelegatingHandler(receiver)
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _order = new();
    private readonly ConcurrentQueue<WireExchange> _exchanges = new();
    private int _seen;

    public IReadOnlyList<WireExchange> Exchanges => [.. _exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        using var document = JsonDocument.Parse(body);
        var eventId = document.RootElement.GetProperty("id").GetString()!;
        var attempt = _attempts.AddOrUpdate(eventId, 1, (_, n) => n + 1);
        var place = _order.GetOrAdd(eventId, _ => Interlocked.Increment(ref _seen));

        if (failWith503(eventId, attempt, place))
        {
            _exchanges.Enqueue(new WireExchange(eventId, attempt, 503, null));
            var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent(
                    """{"title":"Service Unavailable","status":503,"detail":"The event could not be stored now; try again."}""",
                    Encoding.UTF8,
                    "application/problem+json"),
            };
            unavailable.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
            return unavailable;
        }

        var response = await base.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        string? ack = null;
        if (response.IsSuccessStatusCode)
        {
            using var acknowledgement = JsonDocument.Parse(answer);
            ack = acknowledgement.RootElement.GetProperty("status").GetString();
        }

        _exchanges.Enqueue(new WireExchange(eventId, attempt, (int)response.StatusCode, ack));
        return response;
    }
}
