using static Webhooks.Tests.Hostile.HostileRequests;

namespace Webhooks.Tests.Hostile;

/// <summary>Correctly signed bodies that are not a JSON object with a usable key: 400 after the signature checked out.</summary>
public static class BodyCases
{
    private static byte[] Bytes(string before, byte[] middle, string after) => [.. Utf8(before), .. middle, .. Utf8(after)];

    private static HostileCase Refused(string name, byte[] body, string contentType = "application/json") =>
        new(name, 400, SignedStripe(body, contentType));

    private static HostileCase Refused(string name, string body) => Refused(name, Utf8(body));

    public static IEnumerable<HostileCase> All()
    {
        // Not UTF-8, or not the UTF-8 JSON requires.
        yield return Refused("A byte that is never UTF-8 inside a string value is refused with 400", Bytes("{\"id\":\"evt_h_ff\",\"note\":\"", [0xFF], "\"}"));
        yield return Refused("An overlong UTF-8 encoding of a slash is refused with 400", Bytes("{\"id\":\"evt_h_overlong\",\"note\":\"", [0xC0, 0xAF], "\"}"));
        yield return Refused("A surrogate encoded as UTF-8 is refused with 400", Bytes("{\"id\":\"evt_h_surrogate\",\"note\":\"", [0xED, 0xA0, 0x80], "\"}"));
        yield return Refused("Invalid UTF-8 in a member name is refused with 400", Bytes("{\"id\":\"evt_h_name\",\"", [0xFE], "\":1}"));
        yield return Refused("A UTF-8 byte order mark before the object is refused with 400", [0xEF, 0xBB, 0xBF, .. Utf8("{\"id\":\"evt_h_bom\"}")]);
        yield return Refused(
            "A UTF-16 body with its byte order mark is refused with 400",
            [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("{\"id\":\"evt_h_utf16\"}")]);

        // Shape and nesting.
        yield return Refused(
            "An object nesting ten thousand arrays is refused with 400",
            "{\"id\":\"evt_h_deep\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}");
        yield return Refused(
            "Objects nested sixty-five deep are refused with 400",
            "{\"id\":\"evt_h_deep65\",\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64) + "}");
        yield return Refused("A JSON array at the top is refused with 400", "[{\"id\":\"evt_h_array\"}]");
        yield return Refused("A bare JSON string at the top is refused with 400", "\"evt_h_string\"");
        yield return Refused("An empty body is refused with 400", "");
        yield return Refused("A truncated object is refused with 400", "{\"id\":\"evt_h_truncated\",\"type\":");
        yield return Refused("Two objects back to back are refused with 400", "{\"id\":\"evt_h_first\"}{\"id\":\"evt_h_second\"}");
        yield return Refused("Comments and a trailing comma are refused with 400", "{\"id\":\"evt_h_comment\", /* hi */ \"type\":\"x\",}");
        yield return Refused("A NaN literal is refused with 400", "{\"id\":\"evt_h_nan\",\"amount\":NaN}");

        // The idempotency key: present once, a string, short and storable.
        yield return Refused(
            "Two id members are refused with 400 since the key the signer meant is ambiguous",
            "{\"id\":\"evt_h_dup_a\",\"id\":\"evt_h_dup_b\"}");
        // Payloads stay out of answers and logs: here a card number that a sender put in a member name.
        var cardNumberAsName = Refused(
            "A repeated member name holding a card number is refused with 400 without quoting it",
            "{\"id\":\"evt_h_pan\",\"4242424242424242\":1,\"4242424242424242\":2}");
        yield return cardNumberAsName with { MustNotEcho = "4242424242" };
        yield return Refused(
            "A second id spelled with a JSON escape is still a duplicate and refused with 400",
            "{\"id\":\"evt_h_esc_a\",\"\\u0069d\":\"evt_h_esc_b\"}");
        yield return Refused("An id of null is refused with 400", "{\"id\":null,\"type\":\"payment_intent.succeeded\"}");
        yield return Refused("A numeric id is refused with 400", "{\"id\":4242,\"type\":\"payment_intent.succeeded\"}");
        yield return Refused("An empty id is refused with 400", "{\"id\":\"\",\"type\":\"payment_intent.succeeded\"}");
        yield return Refused("An id that is an object is refused with 400", "{\"id\":{\"id\":\"evt_h_nested\"}}");
        yield return Refused("An id five thousand characters long is refused with 400", "{\"id\":\"evt_" + new string('x', 5000) + "\"}");
        yield return Refused("An id with an escaped NUL is refused with 400", "{\"id\":\"evt_h_\\u0000nul\"}");
        yield return Refused("An id with an unpaired surrogate escape is refused with 400", "{\"id\":\"evt_h_\\ud800\"}");
        yield return Refused(
            "A type with an escaped NUL is refused with 400 rather than failing the commit it would share",
            "{\"id\":\"evt_h_type_nul\",\"type\":\"payment\\u0000intent\"}");
        yield return Refused("A type with an unpaired surrogate escape is refused with 400", "{\"id\":\"evt_h_type_sur\",\"type\":\"\\udc00\"}");
        yield return Refused(
            "A type five thousand characters long is refused with 400",
            "{\"id\":\"evt_h_long_type\",\"type\":\"" + new string('t', 5000) + "\"}");

        // The content type is not part of the contract: the signature decides, then the body must be a JSON object.
        yield return Refused(
            "A signed form-encoded body is refused with 400 as not JSON",
            Utf8("id=evt_h_form&type=payment_intent.succeeded"),
            "application/x-www-form-urlencoded");
        yield return Refused(
            "A signed multipart body is refused with 400 as not JSON",
            Utf8("--b\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nevt_h_multipart\r\n--b--\r\n"),
            "multipart/form-data; boundary=b");
        yield return Refused("A signed XML body declared as JSON is refused with 400", Utf8("<event><id>evt_h_xml</id></event>"));
    }
}
