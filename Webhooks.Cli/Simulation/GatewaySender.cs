using System.Net.Http.Headers;
using System.Text.Json;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Sends one delivery as a gateway does: signed afresh on every attempt, paced, retried on any
/// non-2xx answer or none (a refused connection, a timeout) after a growing delay, given up after
/// the last retry. The receiver's <c>Retry-After</c> is not followed: gateways keep their own schedule.
/// </summary>
internal sealed class GatewaySender(
    HttpClient http, ReceiverEndpoints endpoints, WebhookSigner signer, RequestPacer pacer, RetrySchedule retries, TimeProvider timeProvider)
{
    // A gateway waits a few seconds for an answer; a slower one counts as none.
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    // Acknowledgements and problem details are small; a bigger body is not the receiver's.
    private const int MaxBodyChars = 16 * 1024;

    public async Task<DeliveryResult> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var answers = new List<AttemptAnswer>();
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(retries.DelayBefore(attempt), timeProvider, cancellationToken);
            }

            await pacer.WaitAsync(cancellationToken);
            var answer = await AttemptAsync(delivery, cancellationToken);
            answers.Add(answer);
            if (answer.IsSuccess || attempt >= retries.MaxRetries)
            {
                return new DeliveryResult(delivery, answers);
            }
        }
    }

    private async Task<AttemptAnswer> AttemptAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Next()) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("webhooks-simulate/1.0");
        foreach (var (name, value) in signer.Sign(delivery.EventId, delivery.Body, timeProvider.GetUtcNow()))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = new CancellationTokenSource(AttemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return Read((int)response.StatusCode, body.Length > MaxBodyChars ? body[..MaxBodyChars] : body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AttemptAnswer.None($"no answer within {AttemptTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return AttemptAnswer.None(ex.InnerException?.Message ?? ex.Message);
        }
    }

    /// <summary>The acknowledgement of a 2xx, or the detail of a problem, from the body when it is the receiver's JSON.</summary>
    private static AttemptAnswer Read(int status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new AttemptAnswer(status, null, null);
            }

            return new AttemptAnswer(
                status,
                status is >= 200 and < 300 ? StringOf(root, "status") : null,
                StringOf(root, "detail") ?? StringOf(root, "title"));
        }
        catch (JsonException)
        {
            return new AttemptAnswer(status, null, string.IsNullOrWhiteSpace(body) ? null : body.Trim());
        }
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
