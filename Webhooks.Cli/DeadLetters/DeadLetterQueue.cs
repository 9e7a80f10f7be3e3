using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Webhooks.Cli.Broker;
using Webhooks.Cli.Configuration;

namespace Webhooks.Cli.DeadLetters;

/// <summary>The dead-letter queue of the processor's queue: <c>&lt;Processor__QueueName&gt;_error</c>.</summary>
internal sealed class DeadLetterQueue(BrokerConnector connector, IOptions<DeadLetterQueueOptions> options)
{
    public string Name => options.Value.ErrorQueueName;

    /// <summary>Where a message goes back to when its fault headers do not say where it came from.</summary>
    public string DefaultInputQueue => options.Value.QueueName;

    public Task<IConnection> ConnectAsync(CancellationToken cancellationToken) => connector.ConnectAsync(cancellationToken);

    public Task<DeadLetterHold?> HoldAsync(IConnection connection, int? max, CancellationToken cancellationToken) =>
        DeadLetterHold.OpenAsync(connection, Name, max, cancellationToken);

    /// <summary>Said once, when the queue is missing: nothing has failed yet, or the setting points elsewhere.</summary>
    public string MissingNote => $"There is no queue {Name} yet: nothing has been dead-lettered, or Processor__QueueName differs from the processor's.";
}
