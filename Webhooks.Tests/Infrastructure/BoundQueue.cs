using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A durable queue of the test's own, bound to an event exchange on the real broker: it counts what
/// the relay really published. Durable so that it survives a broker stop_app/start_app.
/// </summary>
public sealed class BoundQueue : IAsyncDisposable
{
    private readonly string _exchange;

    private BoundQueue(string exchange, string queue)
    {
        _exchange = exchange;
        Name = queue;
    }

    public string Name { get; }

    public static async Task<BoundQueue> CreateAsync(string exchange)
    {
        var queue = new BoundQueue(exchange, TestEnvironment.UniqueName("test-queue"));
        await WithChannelAsync(async channel =>
        {
            // The same declaration MassTransit makes for a published message type: durable fanout.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueDeclareAsync(queue.Name, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue.Name, exchange, "");
            return 0;
        });
        return queue;
    }

    public Task<uint> CountAsync() => WithChannelAsync(async channel => (await channel.QueueDeclarePassiveAsync(Name)).MessageCount);

    /// <summary>Takes every message now in the queue; returns (message id, parsed MassTransit envelope).</summary>
    public Task<List<(string? MessageId, JsonElement Envelope)>> DrainAsync() => WithChannelAsync(async channel =>
    {
        var messages = new List<(string?, JsonElement)>();
        while (await channel.BasicGetAsync(Name, autoAck: true) is { } result)
        {
            using var document = JsonDocument.Parse(result.Body);
            messages.Add((result.BasicProperties.MessageId, document.RootElement.Clone()));
        }

        return messages;
    });

    /// <summary>Waits until the queue holds at least <paramref name="expected"/> messages, or the timeout passes.</summary>
    public async Task<uint> WaitForCountAsync(uint expected, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow().UtcDateTime + timeout;
        uint count;
        while ((count = await CountAsync()) < expected && TimeProvider.System.GetUtcNow().UtcDateTime < deadline)
        {
            await Task.Delay(200);
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WithChannelAsync(async channel =>
            {
                await channel.QueueDeleteAsync(Name);
                await channel.ExchangeDeleteAsync(_exchange);
                return 0;
            });
        }
        catch (Exception)
        {
            // Best effort: a broker stopped by a failed test must not hide that test's own failure.
        }
    }

    public static async Task<T> WithChannelAsync<T>(Func<IChannel, Task<T>> action)
    {
        await using var connection = await TestEnvironment.RabbitMqAddress.ConnectAsync("webhooks-tests", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        return await action(channel);
    }

    public static string PayloadOf(JsonElement envelope) => envelope.GetProperty("message").GetProperty("payload").GetString()!;

    public static string EventIdOf(JsonElement envelope) => envelope.GetProperty("message").GetProperty("eventId").GetString()!;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
