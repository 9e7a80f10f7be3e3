using System.Globalization;
using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// Builds the corpus's requests as raw bytes. Wherever the hostile part does not itself break the
/// signature, the request is correctly signed: if a defence were missing it would be accepted and
/// stored, and the corpus would see it.
/// </summary>
public static class HostileRequests
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A valid Stripe event body with a fresh id.</summary>
    public static byte[] ValidBody() => Utf8(TestEvents.StripeBody(TestEvents.NewEventId()));

    public static string StripeSignature(byte[] body, long? timestamp = null) =>
        TestSigner.StripeHeader(ReceiverFactory.StripeSecret, body, timestamp ?? TestSigner.Now());

    /// <summary>A correctly signed Stripe request with the body as given.</summary>
    public static Func<Uri, Task<RawResponse>> SignedStripe(
        byte[] body, string contentType = "application/json", string target = "/webhooks/stripe", params string[] extraHeaders) =>
        server => RawHttp.SendAsync(
            server, Post(target, body, [$"Content-Type: {contentType}", $"Stripe-Signature: {StripeSignature(body)}", .. extraHeaders]));

    /// <summary>A valid body with the Stripe-Signature header value given.</summary>
    public static Func<Uri, Task<RawResponse>> StripeWithSignature(string signature, byte[]? body = null) =>
        Headers(body ?? ValidBody(), $"Stripe-Signature: {signature}");

    /// <summary>A Stripe request with exactly these headers (besides Host, Content-Type and Content-Length).</summary>
    public static Func<Uri, Task<RawResponse>> Headers(byte[] body, params string[] headers) =>
        server => RawHttp.SendAsync(server, Post("/webhooks/stripe", body, ["Content-Type: application/json", .. headers]));

    /// <summary>A Standard Webhooks request: headers as given, the signature made over them unless replaced.</summary>
    public static Func<Uri, Task<RawResponse>> Standard(
        string id, string timestamp, byte[]? body = null, string? signature = null, params string[] extraHeaders)
    {
        body ??= Utf8("""{"type":"invoice.paid","data":{"id":"in_1"}}""");
        signature ??= StandardSignature(id, timestamp, body);
        string[] headers =
        [
            "Content-Type: application/json",
            $"webhook-id: {id}",
            $"webhook-timestamp: {timestamp}",
            $"webhook-signature: {signature}",
            .. extraHeaders,
        ];
        return server => RawHttp.SendAsync(server, Post("/webhooks/standard", body, headers));
    }

    public static string StandardSignature(string id, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(ReceiverFactory.StandardSecret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, signed));
    }

    public static string Now() => TestSigner.Now().ToString(CultureInfo.InvariantCulture);

    /// <summary>A POST with Content-Length and the given headers.</summary>
    public static byte[] Post(string target, byte[] body, IEnumerable<string> headers) =>
        RawHttp.Request("POST", target, [.. headers, $"Content-Length: {body.Length}"], body);
}
