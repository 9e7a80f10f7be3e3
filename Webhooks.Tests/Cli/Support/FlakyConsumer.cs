using MassTransit;
using Webhooks.Contracts;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Fails every message for good while the state says so (no retry is configured), else records it.</summary>
public sealed class FlakyConsumer(FlakyProcessorState state) : IConsumer<PaymentEventReceived>
{
    public Task Consume(ConsumeContext<PaymentEventReceived> context)
    {
        if (state.Failing)
        {
            throw new InvalidOperationException(FlakyProcessor.FailureReason);
        }

        state.Consumed.Enqueue(new ConsumedMessage(
            context.MessageId?.ToString(),
            context.Headers.GetAll().ToDictionary(h => h.Key, h => (object?)h.Value),
            context.Message.EventId,
            context.Message.EventType));
        return Task.CompletedTask;
    }
}
