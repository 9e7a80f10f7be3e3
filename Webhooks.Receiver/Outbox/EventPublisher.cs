using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// One confirmed, mandatory publish of a stored event. Succeeds only when the broker confirmed a
/// routed message: a message no queue would take comes back as returned and counts as not published.
/// </summary>
public sealed class EventPublisher(IBus bus, IOptions<OutboxOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.PublishTimeout;

    /// <summary>Null when published, else why not (a sentence without secrets).</summary>
    public async Task<string?> PublishAsync(PaymentEventReceived message, Guid messageId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await bus.Publish(message, context =>
            {
                // A stable id per stored event: a second publish of the same row is recognisably the same message.
                context.MessageId = messageId;
                context.Durable = true;
                if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, timeout.Token);
            return null;
        }
        catch (MessageReturnedException)
        {
            return "The broker returned the message: no queue is bound to the event exchange yet (has a processor ever started?).";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"No confirm from the broker within {_timeout.TotalSeconds:0.#} s.";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
