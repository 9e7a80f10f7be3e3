using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// Holds messages from the head of a dead-letter queue without taking them: an exclusive consumer
/// with manual acknowledgement on a channel of its own. <see cref="RemoveAsync"/> acknowledges one
/// (it is gone); closing the channel hands every other one back to the queue.
/// <para>
/// Why this and not <c>basic.get</c> or the management API's "get, requeue": measured on the
/// project's RabbitMQ, all of them keep a classic queue in order, but on a quorum queue an explicit
/// nack-requeue moves the message to the back, while a closed channel returns held messages to
/// their places. Closing is also what the broker does when this process dies, so a crash leaves
/// the queue exactly as a normal end does. The message itself, with its <c>MT-Redelivery-Count</c>,
/// is never rewritten; RabbitMQ only sets its <c>redelivered</c> flag.
/// </para>
/// <para>
/// Exclusive, so that two on-call engineers never see half a queue each: the second is told to wait.
/// </para>
/// </summary>
internal sealed class DeadLetterHold : IAsyncDisposable
{
    // Long enough for a slow broker to push the next message; short enough that a queue that lost
    // messages to someone else since it was counted ends the read promptly.
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);

    private readonly IChannel _channel;
    private readonly int _take;
    private readonly Channel<DeadLetter> _deliveries =
        Channel.CreateUnbounded<DeadLetter>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private DeadLetterHold(IChannel channel, string queue, uint count, int take)
    {
        _channel = channel;
        Queue = queue;
        Count = count;
        _take = take;
    }

    public string Queue { get; }

    /// <summary>Messages ready in the queue when it was opened.</summary>
    public uint Count { get; }

    public bool IsOpen => _channel.IsOpen;

    /// <summary>Opens the queue and starts holding at most <paramref name="max"/> messages (all when null); null when the queue does not exist.</summary>
    public static async Task<DeadLetterHold?> OpenAsync(IConnection connection, string queue, int? max, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        uint count;
        try
        {
            count = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            await channel.DisposeAsync();
            return null;
        }

        var take = (int)Math.Min(max ?? int.MaxValue, count);
        var hold = new DeadLetterHold(channel, queue, count, take);
        if (take > 0)
        {
            await hold.StartAsync(cancellationToken);
        }

        return hold;
    }

    /// <summary>The held messages in queue order, at most as many as were asked for or counted.</summary>
    public async IAsyncEnumerable<DeadLetter> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var read = 0; read < _take; read++)
        {
            var next = await NextAsync(cancellationToken);
            if (next is null)
            {
                yield break;
            }

            yield return next;
        }
    }

    /// <summary>Removes a held message from the queue for good.</summary>
    public Task RemoveAsync(DeadLetter letter, CancellationToken cancellationToken) =>
        _channel.BasicAckAsync(letter.DeliveryTag, multiple: false, cancellationToken).AsTask();

    // Closed or lost, the channel takes the hold with it: the broker has the messages back.
    public ValueTask DisposeAsync() => BrokerChannel.CloseAsync(_channel);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // Prefetch exactly what is to be read, so that nothing read waits behind a held message;
        // past AMQP's 16-bit prefetch the broker sends without limit (0).
        var prefetch = _take <= ushort.MaxValue ? (ushort)_take : (ushort)0;
        await _channel.BasicQosAsync(0, prefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            _deliveries.Writer.TryWrite(DeadLetterReader.Read(delivery));
            return Task.CompletedTask;
        };

        try
        {
            await _channel.BasicConsumeAsync(
                Queue, autoAck: false, consumerTag: "", noLocal: false, exclusive: true, arguments: null, consumer, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.AccessRefused)
        {
            throw new CliException($"Another consumer is reading {Queue} right now (another ./webhooks dlq command?); try again when it is done.", ex);
        }
    }

    private async Task<DeadLetter?> NextAsync(CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(IdleTimeout);
        try
        {
            return await _deliveries.Reader.ReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Fewer messages came than were counted: someone else took some meanwhile.
            return null;
        }
    }
}
