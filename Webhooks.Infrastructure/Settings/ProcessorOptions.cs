using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Settings;

/// <summary>
/// The processor's endpoint (<c>Processor__*</c>). The CLI reads the same class: its queue names are
/// where the on-call tool finds the dead-letter queue.
/// </summary>
public sealed class ProcessorOptions
{
    public const string SectionName = "Processor";

    /// <summary>
    /// The queue the processors share (competing consumers). Dead-lettered messages go to
    /// <c>&lt;QueueName&gt;_error</c>. Configurable so that environments, and tests, can keep apart.
    /// </summary>
    [Required(ErrorMessage = "Processor__QueueName must be set.")]
    [RegularExpression(@"^[A-Za-z0-9._\-]{1,200}$", ErrorMessage = "Processor__QueueName may contain letters, digits and . _ - only (at most 200).")]
    public string QueueName { get; set; } = "payment-event-received";

    public const string ClassicQueueType = "classic";
    public const string QuorumQueueType = "quorum";

    /// <summary>
    /// <c>classic</c> (one node, the default: a single broker) or <c>quorum</c> (replicated, for a
    /// RabbitMQ cluster). Durable either way; messages are persistent and publishes confirmed.
    /// </summary>
    [RegularExpression("^(classic|quorum)$", ErrorMessage = "Processor__QueueType must be classic or quorum.")]
    public string QueueType { get; set; } = ClassicQueueType;

    /// <summary>
    /// Messages consumed at once by one processor. Their events wait together in the applier's queue
    /// and are committed in batches (<see cref="ApplyBatchSize"/>), so this also bounds a batch.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Processor__ConcurrentMessageLimit must be between 1 and 64.")]
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>Messages the broker hands out ahead; a small multiple of the concurrency keeps consumers busy without hoarding.</summary>
    [Range(1, 1000, ErrorMessage = "Processor__PrefetchCount must be between 1 and 1000.")]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Most events applied in one transaction (one round trip, one commit, one fsync): a batch is
    /// whatever is waiting when the previous one has committed, up to this many, with no timer. The
    /// batch takes one advisory lock per order it names, so this also bounds the locks one
    /// transaction holds (PostgreSQL's lock table has max_locks_per_transaction slots per connection).
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Processor__ApplyBatchSize must be between 1 and 1000.")]
    public int ApplyBatchSize { get; set; } = 64;

    /// <summary>
    /// How long a message is retried in process (exponential, jittered delays, at most 30 s apart)
    /// on a transient failure before it goes back to its queue. Never to the dead-letter queue: an
    /// outage of any length only delays processing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Processor__RetryBudget must be between 00:00:01 and 01:00:00.")]
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the processor stops taking messages when transient failures persist (MassTransit's
    /// kill switch), before it tries again: spares a recovering database a stampede, and loses little
    /// time once it is back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Processor__PauseAfterFailures must be between 00:00:01 and 01:00:00.")]
    public TimeSpan PauseAfterFailures { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The queue that turns faults (dead-lettered messages) into Slack alerts.</summary>
    public string DeadLetterAlertQueueName => $"{QueueName}-dead-letter-alerts";

    /// <summary>The dead-letter queue MassTransit moves messages to when they fail for good.</summary>
    public string ErrorQueueName => $"{QueueName}_error";
}
