using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// A queue of its own for the faults, so that alerts wait in the broker while the database is away,
/// with the same failure handling as the main consumer: an outage of any length loses no alert.
/// </summary>
public sealed class PaymentEventFaultConsumerDefinition : ConsumerDefinition<PaymentEventFaultConsumer>
{
    private readonly ProcessorOptions _options;

    public PaymentEventFaultConsumerDefinition(IOptions<ProcessorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        EndpointName = _options.DeadLetterAlertQueueName;
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentEventFaultConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseTransientFailureHandling(_options, context);
    }
}
