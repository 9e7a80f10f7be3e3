using RabbitMQ.Client;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Benchmarks;

/// <summary>
/// A queue that takes every publish and keeps only the newest message, so a publisher's confirms are
/// real (the message was routed and stored) without the queue growing during a load test.
/// </summary>
internal static class SinkQueue
{
    public static async Task BindAsync(string exchange, string queue, string? queueType = null)
    {
        var address = RabbitMqAddress.Parse(Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://guest:guest@127.0.0.1:24720/");
        await using var connection = await address.ConnectAsync("webhooks-bench sink", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
        {
            ["x-max-length"] = 1,
            ["x-overflow"] = "drop-head",
            // On a cluster, a quorum queue: then a confirm means that a majority of the nodes has the message.
            ["x-queue-type"] = queueType ?? "classic",
        });
        await channel.QueueBindAsync(queue, exchange, "");
    }
}
