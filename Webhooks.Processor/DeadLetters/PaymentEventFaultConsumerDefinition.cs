using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Processor.Configuration;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// A queue of its own for the faults, so that alerts wait in the broker while the database is away,
/// with the same transient-only retries as the main consumer.
/// </summary>
public sealed class PaymentEventFaultConsumerDefinition : ConsumerDefinition<PaymentEventFaultConsumer>
{
    public PaymentEventFaultConsumerDefinition(IOptions<ProcessorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        EndpointName = options.Value.DeadLetterAlertQueueName;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentEventFaultConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(TransientFailure.IsTransient);
            retry.Exponential(
                PaymentEventReceivedConsumerDefinition.TransientRetryLimit,
                PaymentEventReceivedConsumerDefinition.RetryMinInterval,
                PaymentEventReceivedConsumerDefinition.RetryMaxInterval,
                PaymentEventReceivedConsumerDefinition.RetryIntervalDelta);
        });
    }
}
