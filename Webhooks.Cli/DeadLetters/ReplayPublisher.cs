using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Cli.DeadLetters;

/// <summary>
/// Publishes the copy of a dead letter back to the queue it failed from, on a channel of its own
/// with publisher confirms: a copy counts only once the broker has confirmed it. Mandatory, so that
/// a copy no queue would take (the queue was deleted or renamed) comes back as an error instead of
/// vanishing. Through the default exchange straight to the queue, so the copy reaches the consumer
/// that failed and no other.
/// </summary>
internal sealed class ReplayPublisher : IAsyncDisposable
{
    // A local broker confirms in milliseconds; one that takes this long is in trouble, and the
    // message then stays where it was.
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(15);

    private readonly IChannel _channel;

    private ReplayPublisher(IChannel channel) => _channel = channel;

    public bool IsOpen => _channel.IsOpen;

    public static async Task<ReplayPublisher> OpenAsync(IConnection connection, CancellationToken cancellationToken) =>
        new(await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken));

    /// <summary>Null when the broker confirmed a routed copy; otherwise why not.</summary>
    public async Task<string?> PublishAsync(DeadLetter letter, string queue, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConfirmTimeout);
        try
        {
            await _channel.BasicPublishAsync(
                exchange: "", routingKey: queue, mandatory: true, basicProperties: CopyProperties(letter), body: letter.Body, timeout.Token);
            return null;
        }
        catch (PublishException ex) when (ex.IsReturn)
        {
            return $"the broker returned the copy because no queue {queue} exists";
        }
        catch (PublishException)
        {
            return "the broker refused the copy";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the broker did not confirm the copy within {ConfirmTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (BrokerChannel.IsLost(ex))
        {
            return $"the connection to the broker was lost ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')})";
        }
    }

    // Nothing is held on this channel: closing it, or losing it, cannot lose a message.
    public ValueTask DisposeAsync() => BrokerChannel.CloseAsync(_channel);

    /// <summary>The message's own properties, message id included, without the marks of its failure.</summary>
    internal static BasicProperties CopyProperties(DeadLetter letter)
    {
        var properties = new BasicProperties(letter.Properties)
        {
            Persistent = true,
        };
        if (letter.Properties.Headers is { } headers)
        {
            properties.Headers = headers
                .Where(h => !FaultHeaders.IsDroppedOnReplay(h.Key))
                .ToDictionary(h => h.Key, h => h.Value);
        }

        return properties;
    }
}
