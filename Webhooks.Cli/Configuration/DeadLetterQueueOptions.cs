using System.ComponentModel.DataAnnotations;

namespace Webhooks.Cli.Configuration;

/// <summary>
/// The processor's queue (<c>Processor__QueueName</c>, the same setting the processor reads); the
/// dead-letter queue is MassTransit's <c>&lt;queue&gt;_error</c> beside it.
/// </summary>
public sealed class DeadLetterQueueOptions
{
    public const string SectionName = "Processor";

    [Required(ErrorMessage = "Processor__QueueName must be set.")]
    [RegularExpression(@"^[A-Za-z0-9._\-]{1,200}$", ErrorMessage = "Processor__QueueName may contain letters, digits and . _ - only (at most 200).")]
    public string QueueName { get; set; } = "payment-event-received";

    public string ErrorQueueName => $"{QueueName}_error";
}
