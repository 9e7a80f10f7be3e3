using System.Net.Http.Headers;
using System.Text;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Real-shaped, correctly signed webhook requests for each configured test provider.</summary>
public static class TestEvents
{
    public static string NewEventId() => $"evt_test_{Guid.NewGuid():N}";

    public static string StripeBody(string eventId, string type = "payment_intent.succeeded", string orderId = "order_1") =>
        "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"" + type
        + "\",\"created\":1721948530,\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\","
        + "\"amount\":2000,\"currency\":\"usd\",\"metadata\":{\"order_id\":\""
        + orderId + "\"}}}}";

    public static HttpRequestMessage Stripe(string body, string secret = ReceiverFactory.StripeSecret, long? timestamp = null) =>
        Stripe(Encoding.UTF8.GetBytes(body), secret, timestamp);

    public static HttpRequestMessage Stripe(byte[] body, string secret = ReceiverFactory.StripeSecret, long? timestamp = null)
    {
        var request = Json("/webhooks/stripe", body);
        request.Headers.TryAddWithoutValidation("Stripe-Signature", TestSigner.StripeHeader(secret, body, timestamp ?? TestSigner.Now()));
        return request;
    }

    public static HttpRequestMessage Standard(
        string webhookId, string body, string secret = ReceiverFactory.StandardSecret, DateTimeOffset? timestamp = null, string headerPrefix = "webhook")
    {
        var when = timestamp ?? TimeProvider.System.GetUtcNow();
        var signature = new StandardWebhooks.StandardWebhook(secret).Sign(webhookId, when, body);
        var request = Json("/webhooks/standard", Encoding.UTF8.GetBytes(body));
        request.Headers.TryAddWithoutValidation($"{headerPrefix}-id", webhookId);
        var unixSeconds = when.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation($"{headerPrefix}-timestamp", unixSeconds);
        request.Headers.TryAddWithoutValidation($"{headerPrefix}-signature", signature);
        return request;
    }

    public static HttpRequestMessage Json(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }
}
