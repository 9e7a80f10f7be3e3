using System.Text.Json;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Reads fields of a gateway object defensively: a field of the wrong kind (a number where text is
/// expected, a fraction where an integer is, a currency that is not three letters) counts as absent,
/// so that a strange value never becomes a wrong order or a value the database refuses.
/// </summary>
internal static class StripeObject
{
    /// <summary>Ids we store are keys of our own tables; longer ones are not the gateway's.</summary>
    public const int MaxIdLength = 255;

    private static readonly DateTimeOffset Latest = DateTimeOffset.MaxValue.AddDays(-1);

    public static string? Text(JsonElement element, string name, int maxLength = int.MaxValue) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text)
            ? text.Length <= maxLength ? text : text[..maxLength]
            : null;

    /// <summary>An id field: a string, or an expanded object with its <c>id</c>.</summary>
    public static string? Id(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            return Id(value, "id");
        }

        return Text(element, name) is { Length: <= MaxIdLength } id ? id : null;
    }

    /// <summary>A whole, non-negative amount in minor units; a fraction or a negative number is not one.</summary>
    public static long? Amount(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var amount) && amount >= 0
            ? amount
            : null;

    /// <summary>A three-letter ISO currency code, lower case as the gateway writes it.</summary>
    public static string? Currency(JsonElement element, string name) =>
        Text(element, name) is { Length: 3 } code && code.All(char.IsAsciiLetter) ? code.ToLowerInvariant() : null;

    /// <summary>Seconds since 1970 (how the gateway writes times), as a time.</summary>
    public static DateTimeOffset? UnixTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
        && seconds >= 0 && seconds <= Latest.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static bool? Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static JsonElement? Child(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
}
