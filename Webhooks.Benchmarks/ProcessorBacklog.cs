using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Webhooks.Contracts;

namespace Webhooks.Benchmarks;

/// <summary>
/// Fills the processor's queue for the drain benchmark (<c>bench/processor-drain.sh</c>): a backlog of
/// events whose orders each see a short life (created, failed, paid, refunded), so that the
/// processor creates orders, moves them up and leaves some unchanged, as it does in production.
/// </summary>
internal static class ProcessorBacklog
{
    private const int InFlight = 256;

    private static readonly string[] Lifecycle =
        ["payment_intent.created", "payment_intent.payment_failed", "payment_intent.succeeded", "charge.refunded"];

    public static async Task FillAsync(string templateFile, string runId, int count, int eventsPerOrder)
    {
        using var host = await BenchBus.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var template = await File.ReadAllTextAsync(templateFile);

        Task PublishAsync(int i)
        {
            var orderId = string.Create(CultureInfo.InvariantCulture, $"order_{runId}_{i / eventsPerOrder}");
            var eventId = string.Create(CultureInfo.InvariantCulture, $"evt_{runId}_{i}");
            var payload = template
                .Replace("order___EVENT_ID__", orderId, StringComparison.Ordinal)
                .Replace("__EVENT_ID__", eventId, StringComparison.Ordinal);
            var type = Lifecycle[i % eventsPerOrder % Lifecycle.Length];
            return bus.Publish(new PaymentEventReceived(i + 1, "stripe", eventId, type, TimeProvider.System.GetUtcNow(), payload), c => c.Durable = true);
        }

        var watch = Stopwatch.StartNew();
        await BenchBus.PublishManyAsync(count, InFlight, PublishAsync);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"published {count} events for {(count + eventsPerOrder - 1) / eventsPerOrder} orders in {watch.Elapsed.TotalSeconds:0.0} s"));
        await host.StopAsync();
    }
}
