using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Contracts;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.DeadLetters;

namespace Webhooks.Processor.Messaging;

public static class ProcessorMessaging
{
    /// <summary>
    /// The consumer on its queue bound to <c>Broker__EventExchange</c>, and the fault consumer that
    /// records dead-letter alerts. Faults get an exchange named after the event exchange, so that
    /// two environments (or two tests) on one broker never see each other's faults. With
    /// <c>Processor__QueueType=quorum</c> every endpoint's queue is a quorum queue, and so are the
    /// <c>_error</c> and <c>_skipped</c> queues MassTransit declares beside each; the types are
    /// checked at start (<see cref="QueueTypeCheck"/>).
    /// </summary>
    public static IServiceCollection AddProcessorMessaging(this IServiceCollection services)
    {
        services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcessorOptions>().BindConfiguration(ProcessorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<QueueTypeCheck>();
        services.AddMassTransit(bus =>
        {
            // A payment service does not call home: MassTransit's usage report would go to masstransit.io.
            bus.DisableUsageTelemetry();
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var processor = context.GetRequiredService<IOptions<ProcessorOptions>>().Value;
                if (processor.QueueType == ProcessorOptions.QuorumQueueType && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            bus.AddConsumer<PaymentEventReceivedConsumer, PaymentEventReceivedConsumerDefinition>();
            bus.AddConsumer<PaymentEventFaultConsumer, PaymentEventFaultConsumerDefinition>();
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add(ServiceDefaults.ReadyTag));
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.ConfigureWebhooksHost(context);
                var broker = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
                cfg.Message<Fault<PaymentEventReceived>>(m => m.SetEntityName(FaultExchangeName(broker)));
                cfg.ConfigureEndpoints(context);
            });
        });
        return services;
    }

    public static string FaultExchangeName(BrokerOptions broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return $"{broker.EventExchange}--fault";
    }
}
