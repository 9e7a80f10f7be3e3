using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Webhooks.Infrastructure.Storage;

namespace Webhooks.Receiver.Ingestion;

/// <summary>
/// What the receiver needs from an authentic body: that it is one JSON object, its idempotency key
/// and its type, and the order and payment intent it names (<see cref="EventReferences"/>, stored so that
/// an order's events are found by index). Read only after the signature checked out; everything else is
/// the processor's.
/// </summary>
public readonly record struct EventEnvelope(string EventId, string? EventType)
{
    public string? OrderRef { get; init; }

    public string? PaymentIntentRef { get; init; }

    public const int MaxKeyLength = 255;
    private const int MaxTypeLength = 255;

    // A control character, so IsStorableText refuses an unreadable string with the same message as the rest.
    private const string Unreadable = "\u0000";

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = 64,
        // Two "id" members would leave open which one the sender meant: refuse rather than guess.
        AllowDuplicateProperties = false,
    };

    public static bool TryRead(
        ReadOnlyMemory<byte> body,
        IHeaderDictionary headers,
        EventKeySource keySource,
        string? signedEventId,
        out EventEnvelope envelope,
        out string? failure)
    {
        envelope = default;
        if (body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            failure = "The body starts with a byte order mark; send plain UTF-8 JSON.";
            return false;
        }

        // The JSON reader lets malformed UTF-8 inside strings through; the processor and anyone
        // re-reading the stored body would each meet it differently, so it stops here.
        if (!Utf8.IsValid(body.Span))
        {
            failure = "The body is not valid UTF-8.";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            // Not ex.Message: it quotes the body (the start of a repeated member name, for one), and this
            // sentence goes to the caller and to the log.
            failure = ex.LineNumber is { } line
                ? $"The body is not valid JSON (stopped at line {line + 1}, byte {ex.BytePositionInLine + 1}); "
                    + $"nesting deeper than {ParseOptions.MaxDepth} and member names repeated within one object are refused too."
                : $"The body is not valid JSON: nesting deeper than {ParseOptions.MaxDepth} and member names repeated within one object are refused.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = "The body is not a JSON object.";
                return false;
            }

            string? key;
            if (keySource.FromSignature)
            {
                key = signedEventId;
            }
            else if (keySource.Header is not null)
            {
                var values = headers[keySource.Header];
                key = values.Count == 1 ? values[0] : null;
            }
            else
            {
                key = ReadString(root, keySource.BodyPath!);
            }

            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || !IsStorableText(key))
            {
                failure = $"The idempotency key ({keySource.Describe()}) is missing, not a string, empty, longer than {MaxKeyLength} characters "
                    + "or contains control characters or unpaired surrogates.";
                return false;
            }

            var type = root.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? TextOf(typeElement)
                : null;
            if (type is not null && (type.Length > MaxTypeLength || !IsStorableText(type)))
            {
                failure = $"The event type is longer than {MaxTypeLength} characters or contains control characters or unpaired surrogates.";
                return false;
            }

            var (orderRef, paymentIntentRef) = EventReferences.Read(root);
            envelope = new EventEnvelope(key, type) { OrderRef = orderRef, PaymentIntentRef = paymentIntentRef };
            failure = null;
            return true;
        }
    }

    /// <summary>
    /// Key and type go into text columns and message headers. A JSON escape can put a NUL or half a
    /// surrogate pair into them, which PostgreSQL refuses; in a group commit that would fail every
    /// event sharing the commit, so such a value is refused here, with a 400 to its sender alone.
    /// </summary>
    private static bool IsStorableText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    private static string? ReadString(JsonElement element, string[] path)
    {
        foreach (var segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? TextOf(element) : null;
    }

    /// <summary>
    /// The string's value. GetString throws for an escaped unpaired surrogate (<c>"\ud800"</c>); such a
    /// value comes back as <see cref="Unreadable"/>, which the storable-text check refuses like any other.
    /// </summary>
    private static string TextOf(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unreadable;
        }
    }
}
