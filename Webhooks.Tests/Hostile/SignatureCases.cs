using Webhooks.Tests.Infrastructure;
using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Hostile;

/// <summary>Signature and timestamp headers that are missing, malformed, oversized, repeated or stale: 401, with bounded work.</summary>
public static class SignatureCases
{
    private static string FakeV1 => new('a', 64);

    public static IEnumerable<HostileCase> All()
    {
        var body = ValidBody();
        var now = TestSigner.Now();
        yield return new("A request without any signature header is refused with 401", 401, Headers(ValidBody()));
        yield return new("A signature made over another body is refused with 401", 401, StripeWithSignature(StripeSignature(ValidBody())));
        yield return new("A v0 signature alone is refused with 401", 401, StripeWithSignature($"t={now},v0={FakeV1}"));
        yield return new(
            "Thousands of short v1 entries are refused with 401 before any is computed",
            401,
            StripeWithSignature($"t={now}," + string.Join(',', Enumerable.Repeat("v1=0", 3000))));
        yield return new(
            "Forty full-length v1 entries are refused with 401 as more than sixteen",
            401,
            StripeWithSignature($"t={now}," + string.Join(',', Enumerable.Repeat($"v1={FakeV1}", 40))));
        yield return new(
            "Thousands of full-length v1 entries are refused by Kestrel with 431 as too large a header",
            431,
            StripeWithSignature($"t={now}," + string.Join(',', Enumerable.Repeat($"v1={FakeV1}", 3000))),
            FromApplication: false);
        yield return new("A negative timestamp is refused with 401", 401, StripeWithSignature($"t=-{now},v1={FakeV1}"));
        yield return new("A timestamp of twenty digits is refused with 401", 401, StripeWithSignature($"t=99999999999999999999,v1={FakeV1}"));
        yield return new("A non-numeric timestamp is refused with 401", 401, StripeWithSignature($"t=yesterday,v1={FakeV1}"));
        yield return new("A hexadecimal timestamp is refused with 401", 401, StripeWithSignature($"t=0x{now:x},v1={FakeV1}"));
        yield return new(
            "A correctly signed timestamp a thousand years ahead is refused with 401",
            401,
            StripeWithSignature(StripeSignature(body, now + (1000L * 365 * 86400)), body));
        yield return new(
            "A correctly signed event from an hour ago is refused with 401 as a replay",
            401,
            StripeWithSignature(StripeSignature(body, now - 3600), body));
        yield return new(
            "A valid Stripe-Signature header sent twice is refused with 401",
            401,
            Headers(body, $"Stripe-Signature: {StripeSignature(body)}", $"Stripe-Signature: {StripeSignature(body)}"));

        var standardId = $"msg_{Guid.NewGuid():N}";
        yield return new("A non-numeric webhook-timestamp is refused with 401", 401, Standard(standardId, "soon"));
        yield return new("A negative webhook-timestamp is refused with 401", 401, Standard(standardId, "-" + Now()));
        yield return new("A webhook-id thousands of characters long is refused with 401", 401, Standard("msg_" + new string('i', 3000), Now()));
        yield return new(
            "A correctly signed webhook-id sent twice is refused with 401",
            401,
            Standard(standardId, Now(), extraHeaders: $"webhook-id: msg_{Guid.NewGuid():N}"));

        var delivery = Guid.NewGuid().ToString();
        var githubBody = Utf8("""{"action":"completed","type":"check_run"}""");
        var githubSignature = "sha256=" + TestSigner.HmacHex(ReceiverFactory.HmacSecret, githubBody);
        yield return new(
            "A signed hmac event with its id header sent twice is refused with 400 as its key is ambiguous",
            400,
            server => RawHttp.SendAsync(server, Post(
                "/webhooks/github",
                githubBody,
                [
                    "Content-Type: application/json",
                    $"X-Hub-Signature-256: {githubSignature}",
                    $"X-GitHub-Delivery: {delivery}",
                    $"X-GitHub-Delivery: {Guid.NewGuid()}",
                ])));
        yield return new(
            "An hmac signature header sent twice is refused with 401",
            401,
            server => RawHttp.SendAsync(server, Post(
                "/webhooks/github",
                githubBody,
                [
                    "Content-Type: application/json",
                    $"X-Hub-Signature-256: {githubSignature}",
                    $"X-Hub-Signature-256: {githubSignature}",
                    $"X-GitHub-Delivery: {delivery}",
                ])));

        var shopBody = Utf8("{\"type\":\"order.paid\",\"data\":{\"id\":\"d_h_1\",\"id\":\"d_h_2\"}}");
        yield return new(
            "A signed hmac body with its key field data.id twice is refused with 400",
            400,
            server => RawHttp.SendAsync(server, Post(
                "/webhooks/shop",
                shopBody,
                ["Content-Type: application/json", $"X-Signature: {TestSigner.HmacBase64(ReceiverFactory.HmacSecret, shopBody)}"])));
        yield return new(
            "A valid JSON body sent as text/plain with a wrong signature is refused with 401",
            401,
            server => RawHttp.SendAsync(server, Post("/webhooks/stripe", body, ["Content-Type: text/plain", $"Stripe-Signature: t={now},v1={FakeV1}"])));
    }

    private static string Now() => HostileRequests.Now();
}
