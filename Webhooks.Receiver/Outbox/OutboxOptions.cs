namespace Webhooks.Receiver.Outbox;

/// <summary>The relay's settings (<c>Outbox__*</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Rows claimed and published per round; confirms for them are awaited together.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the relay looks for rows that other receivers (or earlier failures) left.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for one publish and its confirm before the row is tried again later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a freshly committed row belongs to the fast lane of the receiver that stored it before
    /// the relay (of any receiver) may publish it. Longer than <see cref="PublishTimeout"/>, so a row is
    /// not published twice merely because the broker was slow to confirm.
    /// </summary>
    public TimeSpan FastLaneLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fresh events held in memory for the fast lane; beyond it they wait for the relay.</summary>
    public int FastLaneCapacity { get; set; } = 20_000;

    /// <summary>Fast-lane batches in flight at once.</summary>
    public int FastLaneConcurrency { get; set; } = 2;

    /// <summary>Upper bound of the growing delay between attempts at one row.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
