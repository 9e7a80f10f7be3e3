namespace Webhooks.Cli.DeadLetters;

/// <summary>What a replay did: messages whose copy the broker confirmed, and those left where they were, with why.</summary>
internal sealed class ReplayOutcome
{
    public List<DeadLetter> Replayed { get; } = [];

    public List<(DeadLetter Letter, string Error)> Failures { get; } = [];

    /// <summary>The queues copies went (or were meant to go) to.</summary>
    public SortedSet<string> Targets { get; } = new(StringComparer.Ordinal);

    public int Selected => Replayed.Count + Failures.Count;

    public string? FirstError => Failures.Count == 0 ? null : Failures[0].Error;
}
