using Spectre.Console;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.DeadLetters;

/// <summary><c>dlq list</c>: the head of the dead-letter queue, every message left in place and in order.</summary>
internal sealed class DlqListHandler(DeadLetterQueue queue, CliOutput output)
{
    public const int DefaultLimit = 100;

    public async Task<int> RunAsync(int limit, bool json, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            throw CliException.Usage("--limit must be at least 1.");
        }

        var letters = new List<DeadLetter>();
        uint total = 0;
        await using (var connection = await queue.ConnectAsync(cancellationToken))
        {
            await using var hold = await queue.HoldAsync(connection, limit, cancellationToken);
            if (hold is null)
            {
                output.Note(queue.MissingNote);
            }
            else
            {
                total = hold.Count;
                await foreach (var letter in hold.ReadAsync(cancellationToken))
                {
                    letters.Add(letter);
                }
            }
        }

        if (json)
        {
            output.Json(letters.Select(l => l.ToSummary()));
            return CliExitCode.Success;
        }

        if (letters.Count == 0)
        {
            output.Line($"No dead-lettered messages in {queue.Name}.");
            return CliExitCode.Success;
        }

        var table = Cells.Table("Message id", "Provider", "Event id", "Type", "Reason", "Exception", "Failed at", "Attempts");
        foreach (var letter in letters)
        {
            table.AddRow(
                Cells.Of(letter.MessageId),
                Cells.Of(letter.Provider),
                Cells.Of(letter.EventId),
                Cells.Of(letter.EventType),
                Cells.Short(letter.Reason, 60),
                Cells.Of(ShortTypeName(letter.ExceptionType)),
                Cells.Of(letter.FailedAt),
                Cells.Of(letter.Attempts));
        }

        table.Caption(Markup.Escape($"{letters.Count} of {total} messages in {queue.Name}, oldest first"));
        output.Console.Write(table);
        return CliExitCode.Success;
    }

    /// <summary><c>Npgsql.PostgresException</c> reads better as <c>PostgresException</c> in a narrow column.</summary>
    private static string? ShortTypeName(string? typeName) =>
        typeName is null ? null : typeName[(typeName.LastIndexOf('.') + 1)..];
}
