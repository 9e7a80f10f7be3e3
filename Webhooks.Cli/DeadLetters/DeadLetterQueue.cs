using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Cli.Broker;
using Webhooks.Cli.Configuration;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Cli.DeadLetters;

/// <summary>The dead-letter queue of the processor's queue: <c>&lt;Processor__QueueName&gt;_error</c>.</summary>
internal sealed class DeadLetterQueue(BrokerConnector connector, IOptions<ProcessorOptions> options)
{
    public string Name => options.Value.ErrorQueueName;

    /// <summary>Where a message goes back to when its fault headers do not say where it came from.</summary>
    public string DefaultInputQueue => options.Value.QueueName;

    public Task<IConnection> ConnectAsync(CancellationToken cancellationToken) => connector.ConnectAsync(cancellationToken);

    /// <summary>
    /// Holds the head of the dead-letter queue; null when it does not exist because nothing has been
    /// dead-lettered yet. When the processor's queue is missing too, the setting names no queue of
    /// this broker: that is an error, never an empty list.
    /// </summary>
    public async Task<DeadLetterHold?> HoldAsync(IConnection connection, int? max, CancellationToken cancellationToken)
    {
        var hold = await DeadLetterHold.OpenAsync(connection, Name, max, cancellationToken);
        if (hold is null && !await ExistsAsync(connection, options.Value.QueueName, cancellationToken))
        {
            throw new CliException(
                $"There is no queue {options.Value.QueueName} (nor {Name}) on this broker: check Processor__QueueName, which must name the processor's queue.");
        }

        return hold;
    }

    /// <summary>Said once, when the processor's queue exists but its dead-letter queue does not.</summary>
    public string MissingNote => $"There is no queue {Name} yet: nothing has been dead-lettered from {options.Value.QueueName}.";

    private static async Task<bool> ExistsAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel: a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return false;
        }
    }
}
