using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// The durable queues the processor's bus declares, and the arguments of their type. The bus's own
/// temporary queue is not among them: it lives as long as its connection and is classic on any broker.
/// </summary>
public static class ProcessorQueues
{
    public static IEnumerable<string> All(ProcessorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var endpoint in new[] { options.QueueName, options.DeadLetterAlertQueueName })
        {
            // MassTransit's dead-letter and skipped queues copy their endpoint's arguments, its type included.
            yield return endpoint;
            yield return $"{endpoint}_error";
            yield return $"{endpoint}_skipped";
        }
    }

    /// <summary>What MassTransit declares for a queue of this type: a classic queue without the argument.</summary>
    public static IDictionary<string, object?>? Arguments(string queueType) =>
        queueType == ProcessorOptions.QuorumQueueType ? new Dictionary<string, object?> { ["x-queue-type"] = ProcessorOptions.QuorumQueueType } : null;
}
