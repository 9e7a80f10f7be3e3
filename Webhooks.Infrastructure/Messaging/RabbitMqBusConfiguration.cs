using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Contracts;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// The one place that points MassTransit at RabbitMQ (the processor, and tests that publish like the
/// receiver). The receiver's outbox publishes without MassTransit but to the same durable fanout
/// exchange, <see cref="BrokerOptions.EventExchange"/>, in MassTransit's envelope.
/// </summary>
public static class RabbitMqBusConfiguration
{
    public static void ConfigureWebhooksHost(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context)
    {
        var connection = context.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value;
        var broker = context.GetRequiredService<IOptions<BrokerOptions>>().Value;
        var address = RabbitMqAddress.Parse(connection.RabbitMq);

        cfg.Host(address.Host, (ushort)address.Port, address.VirtualHost, "webhooks", h =>
        {
            h.Username(address.Username);
            h.Password(address.Password);
            // A publish counts only once the broker has confirmed it.
            h.PublisherConfirmation = true;
            h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
            if (address.Nodes.Count > 1)
            {
                // Each connection attempt, the first and every reconnection, goes to the next node in turn.
                h.UseCluster(cluster =>
                {
                    foreach (var node in address.Nodes)
                    {
                        cluster.Node(node.ToString());
                    }
                });
            }
        });

        cfg.Message<PaymentEventReceived>(m => m.SetEntityName(broker.EventExchange));
        cfg.Publish<PaymentEventReceived>(p =>
        {
            p.Durable = true;
            p.ExchangeType = "fanout";
        });
    }
}
