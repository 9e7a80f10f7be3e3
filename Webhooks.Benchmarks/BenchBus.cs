using MassTransit;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Benchmarks;

/// <summary>
/// A MassTransit bus configured as the receiver's relay publishes (<c>Broker__EventExchange</c>,
/// confirms on), and a loop that publishes many messages with a bounded number in flight.
/// </summary>
internal static class BenchBus
{
    public static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddConnectionStrings();
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.UsingRabbitMq((context, cfg) => cfg.ConfigureWebhooksHost(context));
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task PublishManyAsync(int count, int concurrency, Func<int, Task> publish)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await publish(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
