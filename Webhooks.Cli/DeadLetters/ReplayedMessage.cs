namespace Webhooks.Cli.DeadLetters;

/// <summary>One message of <see cref="ReplayReport"/>: null <see cref="Error"/> when its copy was confirmed (or would be sent, in a dry run).</summary>
internal sealed record ReplayedMessage(string? MessageId, string? Provider, string? EventId, string? Type, string BackTo, string? Error)
{
    public static ReplayedMessage Of(DeadLetter letter, string defaultInputQueue, string? error) =>
        new(letter.MessageId, letter.Provider, letter.EventId, letter.EventType, letter.InputQueue ?? defaultInputQueue, error);
}
