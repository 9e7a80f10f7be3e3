using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Ingestion;

/// <summary>
/// What the receiver needs from an authentic body: that it is one JSON object, its idempotency key
/// and its type. Read only after the signature checked out; everything else is the processor's.
/// </summary>
public readonly record struct EventEnvelope(string EventId, string? EventType)
{
    public const int MaxKeyLength = 255;
    private const int MaxTypeLength = 255;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = 64,
        // Two "id" members would leave open which one the sender meant: refuse rather than guess.
        AllowDuplicateProperties = false,
    };

    public static bool TryRead(ReadOnlyMemory<byte> body, IHeaderDictionary headers, EventKeySource keySource, string? signedEventId, out EventEnvelope envelope, out string? failure)
    {
        envelope = default;
        if (body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            failure = "The body starts with a byte order mark; send plain UTF-8 JSON.";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            failure = $"The body is not valid UTF-8 JSON: {ex.Message}";
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

            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(char.IsControl))
            {
                failure = $"The idempotency key ({keySource.Describe()}) is missing, not a string, empty, longer than {MaxKeyLength} characters or contains control characters.";
                return false;
            }

            var type = root.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
            if (type is { Length: > MaxTypeLength })
            {
                failure = $"The event type is longer than {MaxTypeLength} characters.";
                return false;
            }

            envelope = new EventEnvelope(key, type);
            failure = null;
            return true;
        }
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

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
