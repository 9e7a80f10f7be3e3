using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Looks at a test's queues on the real broker from outside the CLI, to check what it did.</summary>
public static class CliQueues
{
    /// <summary>Messages ready in the queue; 0 when it does not exist.</summary>
    public static async Task<uint> CountAsync(string queue)
    {
        try
        {
            return await BoundQueue.WithChannelAsync(async channel => (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0;
        }
    }

    public static async Task<uint> WaitForCountAsync(string queue, uint expected, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow().UtcDateTime + timeout;
        uint count;
        while ((count = await CountAsync(queue)) != expected && TimeProvider.System.GetUtcNow().UtcDateTime < deadline)
        {
            await Task.Delay(100);
        }

        return count;
    }

    /// <summary>Takes every message now in the queue, in order (the end of a test: it empties the queue).</summary>
    public static Task<List<QueuedMessage>> DrainAsync(string queue) => BoundQueue.WithChannelAsync(async channel =>
    {
        var messages = new List<QueuedMessage>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString());
            messages.Add(new QueuedMessage(result.BasicProperties.MessageId, headers, result.Redelivered, result.Body.ToArray()));
        }

        return messages;
    });

    /// <summary>Publishes plain messages straight to a queue (declared if need be), each with a message id; returns the ids.</summary>
    /// <param name="body">Every message's body; by default a small JSON object of its own.</param>
    public static Task<List<string>> FillAsync(
        string queue, int count, IDictionary<string, object?>? arguments = null, IDictionary<string, object?>? headers = null, string? body = null) =>
        BoundQueue.WithChannelAsync(async channel =>
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var id = Guid.NewGuid().ToString();
                var properties = new BasicProperties
                {
                    MessageId = id,
                    Persistent = true,
                    ContentType = "application/json",
                    Headers = headers is null ? null : new Dictionary<string, object?>(headers),
                };
                await channel.BasicPublishAsync("", queue, mandatory: false, properties, Encoding.UTF8.GetBytes(body ?? $"{{\"n\":{i}}}"));
                ids.Add(id);
            }

            return ids;
        });

    public static Task DeleteAsync(IEnumerable<string> queues, IEnumerable<string> exchanges) =>
        BrokerEntities.DeleteAsync(queues, exchanges);
}
