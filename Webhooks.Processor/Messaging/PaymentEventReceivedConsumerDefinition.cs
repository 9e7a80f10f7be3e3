using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// The consumer's endpoint: its queue, concurrency and prefetch, and the processor's failure
/// handling (<see cref="TransientFailureHandling"/>): transient failures retried, then back to the
/// queue; permanent ones dead-lettered at once.
/// </summary>
public sealed class PaymentEventReceivedConsumerDefinition : ConsumerDefinition<PaymentEventReceivedConsumer>
{
    private readonly ProcessorOptions _options;

    public PaymentEventReceivedConsumerDefinition(IOptions<ProcessorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentEventReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        endpointConfigurator.UseTransientFailureHandling(_options, context);
    }
}
