using System.Text;
using System.Text.Json;
using Spectre.Console;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.DeadLetters;

/// <summary><c>dlq show</c>: one dead letter whole (headers, fault, payload), left in place.</summary>
internal sealed class DlqShowHandler(DeadLetterQueue queue, CliOutput output)
{
    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<int> RunAsync(string messageId, bool json, CancellationToken cancellationToken)
    {
        DeadLetter? found = null;
        await using (var connection = await queue.ConnectAsync(cancellationToken))
        {
            await using var hold = await queue.HoldAsync(connection, max: null, cancellationToken);
            if (hold is not null)
            {
                await foreach (var letter in hold.ReadAsync(cancellationToken))
                {
                    if (letter.MessageId is { } id
                        && string.Equals(DeadLetterSelection.MessageIdKey(id), DeadLetterSelection.MessageIdKey(messageId), StringComparison.OrdinalIgnoreCase))
                    {
                        found = letter;
                        break;
                    }
                }
            }
        }

        if (found is null)
        {
            throw new CliException($"There is no message {messageId} in {queue.Name}.");
        }

        if (json)
        {
            output.Json(ToJson(found));
        }
        else
        {
            Render(found);
        }

        return CliExitCode.Success;
    }

    private static object ToJson(DeadLetter letter) => new
    {
        letter.MessageId,
        letter.Provider,
        letter.EventId,
        Type = letter.EventType,
        letter.Reason,
        letter.ExceptionType,
        letter.FailedAt,
        letter.Attempts,
        letter.InputAddress,
        letter.InputQueue,
        letter.ConsumerType,
        letter.StackTrace,
        letter.Redelivered,
        letter.Properties.ContentType,
        Headers = letter.Headers.ToDictionary(h => h.Key, h => h.Value),
        letter.Payload,
        Body = Encoding.UTF8.GetString(letter.Body.Span),
    };

    private void Render(DeadLetter letter)
    {
        var summary = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string? value) => summary.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), Cells.Of(value));
        Row("Message id", letter.MessageId);
        Row("Provider", letter.Provider);
        Row("Event id", letter.EventId);
        Row("Type", letter.EventType);
        Row("Failed at", Cells.Time(letter.FailedAt));
        Row("Attempts", letter.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("Failed in", letter.InputQueue);
        Row("Consumer", letter.ConsumerType);
        output.Console.Write(new Panel(summary).Header("Dead letter").Expand());

        output.Console.Write(new Panel(new Rows(
                new Text($"{letter.ExceptionType}: {Webhooks.Infrastructure.FailureText.OneLine(letter.Reason)}", new Style(decoration: Decoration.Bold)),
                new Text(letter.StackTrace ?? "")))
            .Header("Fault").Expand());

        var headers = Cells.Table("Header", "Value");
        foreach (var (name, value) in letter.Headers)
        {
            headers.AddRow(Cells.Of(name), Cells.Short(value, 120));
        }

        output.Console.Write(headers);
        output.Console.Write(new Panel(new Text(Pretty(letter.Payload) ?? Encoding.UTF8.GetString(letter.Body.Span))).Header("Payload").Expand());
    }

    /// <summary>The webhook body indented for reading; shown as stored when it is not JSON.</summary>
    private static string? Pretty(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return JsonSerializer.Serialize(document.RootElement, PrettyJson);
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
