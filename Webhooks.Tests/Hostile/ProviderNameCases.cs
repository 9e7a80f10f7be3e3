using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// Provider names with path tricks, each carrying a correctly signed Stripe event: if any trick reached
/// the stripe provider, the event would be accepted and stored.
/// </summary>
public static class ProviderNameCases
{
    private static HostileCase NotFound(string name, string target) => new(name, 404, SignedStripe(ValidBody(), target: target));

    public static IEnumerable<HostileCase> All()
    {
        yield return NotFound("An encoded dot-dot-slash before the provider name is not a provider and gets 404", "/webhooks/..%2Fstripe");
        yield return NotFound("An encoded slash after the provider name is not a provider and gets 404", "/webhooks/stripe%2F..%2Fstripe");
        yield return NotFound("A backslash traversal in the provider name gets 404", "/webhooks/..%5Cstripe");
        yield return NotFound("Encoded dot segments climbing out of the webhooks path get 404", "/webhooks/%2e%2e/webhooks/..%2fstripe");
        yield return NotFound("A double slash before the provider name gets 404", "/webhooks//stripe");
        yield return NotFound("A provider name of five thousand characters gets 404", "/webhooks/" + new string('s', 5000));
        yield return NotFound("A Cyrillic look-alike of stripe gets 404", "/webhooks/%D1%95tripe");
        yield return NotFound("Fullwidth letters spelling stripe get 404", "/webhooks/%EF%BD%93%EF%BD%94%EF%BD%92%EF%BD%89%EF%BD%90%EF%BD%85");
        yield return NotFound("Stripe with a combining accent gets 404", "/webhooks/stri%CC%81pe");
        yield return new(
            "Stripe followed by an encoded NUL is refused by Kestrel with 400",
            400,
            SignedStripe(ValidBody(), target: "/webhooks/stripe%00"),
            FromApplication: false);
        yield return NotFound("Stripe followed by an encoded space gets 404", "/webhooks/stripe%20");
        yield return NotFound("An overlong UTF-8 encoding of dot-dot-slash gets 404", "/webhooks/%C0%AE%C0%AE%C0%AFstripe");
        yield return NotFound("Invalid percent-encoding in the provider name gets 404", "/webhooks/str%ZZipe");
        yield return new(
            "A provider name longer than the request line limit is refused by Kestrel with 414",
            414,
            SignedStripe(ValidBody(), target: "/webhooks/" + new string('s', 10_000)),
            FromApplication: false);
    }
}
