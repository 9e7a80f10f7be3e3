using System.Text;
using System.Text.Json;
using Spectre.Console;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.Events;

/// <summary><c>events show</c>: one stored event, its raw body exactly as stored.</summary>
internal sealed class EventsShowHandler(StoredEventsTable events, CliOutput output)
{
    public async Task<int> RunAsync(string provider, string eventId, bool json, CancellationToken cancellationToken)
    {
        var row = await events.GetAsync(provider, eventId, cancellationToken)
            ?? throw new CliException($"There is no stored event {eventId} from {provider}.");
        var body = row.Body ?? [];
        var text = Utf8OrNull(body);

        if (json)
        {
            output.Json(new
            {
                row.Provider,
                row.EventId,
                Type = row.EventType,
                ReceivedAt = row.ReceivedAtUtc,
                row.MessageId,
                Headers = row.Headers is null ? (JsonElement?)null : JsonDocument.Parse(row.Headers).RootElement.Clone(),
                // The body byte for byte: as text when it is UTF-8 (webhooks are), else base64.
                Body = text ?? Convert.ToBase64String(body),
                BodyEncoding = text is null ? "base64" : "utf-8",
                Outbox = row.OutboxAttempts is null
                    ? null
                    : new { Attempts = row.OutboxAttempts, NextAttemptAt = ToUtc(row.OutboxNextAttemptAt), LastError = row.OutboxLastError },
            });
            return CliExitCode.Success;
        }

        var summary = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value) => summary.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), Cells.Of(value));
        Row("Provider", row.Provider);
        Row("Event id", row.EventId);
        Row("Type", row.EventType);
        Row("Received at", Cells.Time(row.ReceivedAtUtc));
        Row("Message id", row.MessageId.ToString());
        Row("Outbox", row.OutboxAttempts is null
            ? "published (not waiting in the outbox)"
            : $"waiting: {row.OutboxAttempts} attempts, next at {Cells.Time(ToUtc(row.OutboxNextAttemptAt))}, "
              + $"last error: {row.OutboxLastError ?? Cells.Missing}");
        output.Console.Write(new Panel(summary).Header("Stored event").Expand());

        var headers = Cells.Table("Header", "Value");
        if (row.Headers is not null)
        {
            using var document = JsonDocument.Parse(row.Headers);
            foreach (var header in document.RootElement.EnumerateObject())
            {
                headers.AddRow(Cells.Of(header.Name), Cells.Of(header.Value.ToString()));
            }
        }

        output.Console.Write(headers);
        // The raw body as stored, not re-indented: what the gateway signed is what is shown.
        output.Console.Write(new Panel(new Text(text ?? $"(not UTF-8; base64) {Convert.ToBase64String(body)}")).Header($"Body ({body.Length} bytes)").Expand());
        return CliExitCode.Success;
    }

    private static string? Utf8OrNull(byte[] body)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static DateTimeOffset? ToUtc(DateTime? value) => value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
}
