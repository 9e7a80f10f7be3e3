using Webhooks.Cli.Output;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// <c>dlq list</c>: the head of the dead-letter queue, every message left in place and in order. When
/// more messages wait than <c>--limit</c> lets through, standard error says how many (also with
/// <c>--json</c>, whose array then holds the oldest ones only).
/// </summary>
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

        if (total > letters.Count)
        {
            output.Note(
                $"Only the oldest {Counts.Messages(letters.Count)} of {Cells.Number(total)} in {queue.Name} are listed; --limit {total} lists them all.");
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

        var table = new CliTable(
            CliColumn.Id("Message id"),
            new CliColumn("Provider", Rank: 6),
            CliColumn.Id("Event id", rank: 5),
            new CliColumn("Type", Rank: 2, MinWidth: 12),
            new CliColumn("Reason", Rank: 1, MinWidth: 20),
            new CliColumn("Exception", Rank: 7, MinWidth: 12),
            new CliColumn("Failed at", Rank: 3),
            new CliColumn("Attempts", Rank: 4, MinWidth: 8))
        {
            Caption = $"{letters.Count} of {total} messages in {queue.Name}, oldest first",
        };
        foreach (var letter in letters)
        {
            table.AddRow(
                letter.MessageId,
                letter.Provider,
                letter.EventId,
                letter.EventType,
                Cells.OneLine(letter.Reason, 160),
                ShortTypeName(letter.ExceptionType),
                Cells.Time(letter.FailedAt),
                Cells.Number(letter.Attempts));
        }

        table.Write(output.Console);
        return CliExitCode.Success;
    }

    /// <summary><c>Npgsql.PostgresException</c> reads better as <c>PostgresException</c> in a narrow column.</summary>
    private static string? ShortTypeName(string? typeName) =>
        typeName is null ? null : typeName[(typeName.LastIndexOf('.') + 1)..];
}
