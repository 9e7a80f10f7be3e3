using System.Text;
using Webhooks.Tests.Infrastructure;
using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// Requests hostile at the HTTP level: enormous or too many headers, slow or stalled headers and
/// bodies, bodies over the limit, broken framing. Only a real Kestrel enforces these, so they run
/// against one, over raw sockets.
/// </summary>
public static class TransportCases
{
    public static IEnumerable<HostileCase> All(int maxBodyBytes)
    {
        yield return new(
            "A single header of 64 KiB on a signed event is refused by Kestrel with 431",
            431,
            SignedStripe(ValidBody(), extraHeaders: $"X-Padding: {new string('p', 64 * 1024)}"),
            FromApplication: false);
        yield return new(
            "Two hundred headers on a signed event are refused by Kestrel with 431",
            431,
            SignedStripe(ValidBody(), extraHeaders: [.. Enumerable.Range(0, 200).Select(i => $"X-Extra-{i}: {i}")]),
            FromApplication: false);
        yield return new(
            "A header value with bytes outside ASCII is refused by Kestrel with 400",
            400,
            SignedStripe(ValidBody(), extraHeaders: "X-Note: caf\u00e9\u00ff"),
            FromApplication: false);
        yield return new(
            "A header with a NUL byte is refused by Kestrel with 400",
            400,
            SignedStripe(ValidBody(), extraHeaders: "User-Agent: gate\u0000way"),
            FromApplication: false);
        yield return new(
            "A header split by a bare line feed is refused by Kestrel with 400",
            400,
            SignedStripe(ValidBody(), extraHeaders: "X-Note: a\nStripe-Signature: t=1,v1=00"),
            FromApplication: false);
        yield return new("Headers that stop arriving are cut off by Kestrel's header timeout with 408", 408, StalledHeaders, FromApplication: false);
        yield return new("A signed body that stops arriving is cut off by the body timeout with 408", 408, StalledBody);
        yield return new("A signed body trickling slower than the body timeout is cut off with 408", 408, TricklingBody);
        yield return new("A chunked body over the limit is refused with 413", 413, server => ChunkedAsync(server, new byte[maxBodyBytes * 3]));
        yield return new(
            "A declared length over the limit with Expect 100-continue is refused with 413 before any body is sent",
            413,
            server => RawHttp.SendAsync(server, RawHttp.Request(
                "POST",
                "/webhooks/stripe",
                [
                    "Content-Type: application/json",
                    "Expect: 100-continue",
                    $"Content-Length: {maxBodyBytes * 1000}",
                    $"Stripe-Signature: t={TestSigner.Now()},v1={new string('a', 64)}",
                ])));
        yield return new(
            "A chunked body with a chunk size that is not hexadecimal is refused with 400",
            400,
            server => RawHttp.SendAsync(server, RawHttp.Request(
                "POST",
                "/webhooks/stripe",
                ["Transfer-Encoding: chunked", $"Stripe-Signature: {StripeSignature(Utf8("{}"))}"],
                Utf8("zz\r\n{}\r\n0\r\n\r\n"))),
            FromApplication: false);
        yield return new(
            "Content-Length and chunked together are read as chunked and answered 401 on a closing connection so nothing rides behind",
            401,
            Smuggling);
        yield return new(
            "Two Content-Length headers that disagree are refused by Kestrel with 400",
            400,
            server => RawHttp.SendAsync(server, RawHttp.Request("POST", "/webhooks/stripe", ["Content-Length: 2", "Content-Length: 40"], Utf8("{}"))),
            FromApplication: false);
    }

    private static Task<RawResponse> StalledHeaders(Uri server) =>
        RawHttp.ExchangeAsync(server, async (stream, ct) =>
        {
            await stream.WriteAsync(Utf8("POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl"), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

    private static Task<RawResponse> StalledBody(Uri server)
    {
        var body = ValidBody();
        var request = Post("/webhooks/stripe", body, ["Content-Type: application/json", $"Stripe-Signature: {StripeSignature(body)}"]);
        return RawHttp.ExchangeAsync(server, async (stream, ct) =>
        {
            await stream.WriteAsync(request.AsMemory(0, request.Length - body.Length + 10), ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
    }

    /// <summary>Ten bytes every half second: the whole body would take about 15 s, far over the timeout.</summary>
    private static Task<RawResponse> TricklingBody(Uri server)
    {
        var body = ValidBody();
        var request = Post("/webhooks/stripe", body, ["Content-Type: application/json", $"Stripe-Signature: {StripeSignature(body)}"]);
        return RawHttp.ExchangeAsync(server, async (stream, ct) =>
        {
            var head = request.Length - body.Length;
            await stream.WriteAsync(request.AsMemory(0, head), ct);
            for (var offset = head; offset < request.Length; offset += 10)
            {
                await Task.Delay(500, ct);
                await stream.WriteAsync(request.AsMemory(offset, Math.Min(10, request.Length - offset)), ct);
            }
        });
    }

    private static Task<RawResponse> ChunkedAsync(Uri server, byte[] body)
    {
        Array.Fill(body, (byte)' ');
        var chunked = new StringBuilder();
        foreach (var piece in body.Chunk(1024))
        {
            chunked.Append($"{piece.Length:x}\r\n").Append(Encoding.ASCII.GetString(piece)).Append("\r\n");
        }

        chunked.Append("0\r\n\r\n");
        return RawHttp.SendAsync(server, RawHttp.Request(
            "POST", "/webhooks/stripe", ["Transfer-Encoding: chunked", $"Stripe-Signature: {StripeSignature(body)}"], Utf8(chunked.ToString())));
    }

    /// <summary>
    /// Read as chunked, the body is empty and a second, correctly signed request follows; read by its
    /// Content-Length, it is all one body. A server that kept the connection open could be
    /// desynchronised from a proxy that read it the other way; Kestrel reads it as chunked (the empty
    /// body's signature is wrong: 401) and closes the connection, as RFC 9112 asks.
    /// </summary>
    private static Task<RawResponse> Smuggling(Uri server)
    {
        var inner = ValidBody();
        var smuggled = Post("/webhooks/stripe", inner, ["Content-Type: application/json", $"Stripe-Signature: {StripeSignature(inner)}"]);
        byte[] body = [.. Utf8("0\r\n\r\n"), .. smuggled];
        var request = RawHttp.Request(
            "POST", "/webhooks/stripe", ["Transfer-Encoding: chunked", $"Content-Length: {body.Length}", $"Stripe-Signature: {StripeSignature(body)}"], body);
        return RawHttp.SendAsync(server, request, listenAfter: TimeSpan.FromSeconds(5));
    }
}
