using System.Text.Json;

namespace Webhooks.Infrastructure.Storage;

/// <summary>
/// The order and the payment intent an event's body names, read once when the event is stored, so that
/// every stored event of an order is found through an index rather than by reading bodies. The rules are
/// the processor's: <c>data.object.metadata.order_id</c> (a checkout session also by
/// <c>client_reference_id</c>); the payment intent is the object itself (a <c>payment_intent</c>) or the
/// one it names (a charge's or dispute's <c>payment_intent</c>). Anything else, or a value that is not a
/// short plain string, is no reference: the processor's own reading of the event stays the authority.
/// </summary>
public static class EventReferences
{
    /// <summary>Longer values are no ids of ours (the processor ignores longer order ids too).</summary>
    public const int MaxLength = 255;

    public static (string? OrderRef, string? PaymentIntentRef) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("object", out var dataObject) || dataObject.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var kind = Text(dataObject, "object");
        var type = Text(root, "type");
        string? order = null;
        if (dataObject.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            order = Text(metadata, "order_id");
        }

        if (order is null && (kind == "checkout.session" || type?.StartsWith("checkout.session.", StringComparison.Ordinal) == true))
        {
            order = Text(dataObject, "client_reference_id");
        }

        var paymentIntent = kind == "payment_intent" ? Text(dataObject, "id") : Id(dataObject, "payment_intent");
        return (order, paymentIntent);
    }

    /// <summary>Reads the references of a raw body; a body that is not JSON names nothing.</summary>
    public static (string? OrderRef, string? PaymentIntentRef) Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Id(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? Text(value, "id") : Text(element, name);

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate: not an id.
            return null;
        }

        return text.Length is > 0 and <= MaxLength && !string.IsNullOrWhiteSpace(text) && !text.Any(char.IsControl) && !text.Any(char.IsSurrogate)
            ? text
            : null;
    }
}
