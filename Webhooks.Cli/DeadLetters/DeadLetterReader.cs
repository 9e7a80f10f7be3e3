using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Webhooks.Cli.DeadLetters;

/// <summary>Reads a delivery from the dead-letter queue: its fault headers and, when it is a MassTransit envelope, the event in it.</summary>
internal static class DeadLetterReader
{
    public static DeadLetter Read(BasicDeliverEventArgs delivery)
    {
        // The delivery's memory belongs to the client library only until the handler returns.
        var body = delivery.Body.ToArray();
        var properties = new BasicProperties(delivery.BasicProperties);
        var headers = (properties.Headers ?? new Dictionary<string, object?>())
            .Select(h => new KeyValuePair<string, string>(h.Key, Text(h.Value)))
            .ToList();

        var letter = new DeadLetter
        {
            DeliveryTag = delivery.DeliveryTag,
            MessageId = properties.MessageId,
            Redelivered = delivery.Redelivered,
            Properties = properties,
            Body = body,
            Headers = headers,
        };

        return ReadEnvelope(letter, body) with
        {
            FailedAt = ParseTime(letter.Header(FaultHeaders.Timestamp)),
            Attempts = 1 + ParseCount(letter.Header(FaultHeaders.RetryCount)) + ParseCount(letter.Header(FaultHeaders.RedeliveryCount)),
        };
    }

    /// <summary>A header value as text: RabbitMQ.Client hands strings over as UTF-8 bytes.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IDictionary table => "{" + string.Join(", ", table.Keys.Cast<object>().Select(k => $"{k}: {Text(table[k])}")) + "}",
        IEnumerable list and not string => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };

    private static DeadLetter ReadEnvelope(DeadLetter letter, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            // A MassTransit envelope carries the event under "message"; a raw JSON message is the event itself.
            var root = document.RootElement;
            var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object
                ? inner
                : root;
            if (message.ValueKind != JsonValueKind.Object)
            {
                return letter;
            }

            return letter with
            {
                Provider = StringOf(message, "provider"),
                EventId = StringOf(message, "eventId"),
                EventType = StringOf(message, "eventType"),
                Payload = StringOf(message, "payload"),
            };
        }
        catch (JsonException)
        {
            // Not JSON: shown as it is, and still replayable and purgeable by its message id.
            return letter;
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    private static int ParseCount(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 0;
}
