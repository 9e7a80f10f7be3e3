using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Looks at and cleans up the queues and exchanges a test made on the shared broker.</summary>
public static class BrokerEntities
{
    /// <summary>Messages ready in the queue; 0 when the queue does not exist (nothing was ever sent to it).</summary>
    public static async Task<uint> CountAsync(string queue)
    {
        try
        {
            return await BoundQueue.WithChannelAsync(async channel => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>Takes every message now in the queue with its headers (e.g. MassTransit's MT-Fault-*).</summary>
    public static Task<List<(IReadOnlyBasicProperties Properties, string Body)>> DrainAsync(string queue) => BoundQueue.WithChannelAsync(async channel =>
    {
        var messages = new List<(IReadOnlyBasicProperties, string)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add((result.BasicProperties, System.Text.Encoding.UTF8.GetString(result.Body.Span)));
        }

        return messages;
    });

    public static async Task DeleteAsync(IEnumerable<string> queues, IEnumerable<string> exchanges)
    {
        foreach (var queue in queues)
        {
            await BestEffortAsync(channel => channel.QueueDeleteAsync(queue));
        }

        foreach (var exchange in exchanges)
        {
            await BestEffortAsync(channel => channel.ExchangeDeleteAsync(exchange));
        }
    }

    private static async Task BestEffortAsync(Func<IChannel, Task> action)
    {
        try
        {
            await BoundQueue.WithChannelAsync(async channel =>
            {
                await action(channel);
                return 0;
            });
        }
        catch (Exception)
        {
            // Cleanup only: a missing entity or a broker away must not fail the test.
        }
    }
}
