using System.Diagnostics;
using System.Text;
using MassTransit;
using Webhooks.Contracts;

namespace Webhooks.Benchmarks;

/// <summary>
/// Measures MassTransit's confirmed publish alone (no HTTP, no database): how many events per second
/// and how much of this process's CPU each costs. Tells how much of the receiver's budget the broker
/// hand-off takes on this machine.
/// </summary>
internal static class PublishProbe
{
    public static async Task RunAsync(string templateFile, int count, int concurrency)
    {
        using var host = await BenchBus.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var payload = (await File.ReadAllTextAsync(templateFile)).Replace("__EVENT_ID__", "evt_probe", StringComparison.Ordinal);

        async Task PublishAsync(int i) =>
            await bus.Publish(
                new PaymentEventReceived(i, "stripe", $"evt_probe_{i}", "payment_intent.succeeded", TimeProvider.System.GetUtcNow(), payload),
                c => c.Durable = true);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(PublishAsync));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await BenchBus.PublishManyAsync(count, concurrency, PublishAsync);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"published {count} in {watch.Elapsed.TotalSeconds:0.00} s: {count / watch.Elapsed.TotalSeconds:0} /s, "
            + $"{cpu.TotalMilliseconds * 1000 / count:0} µs CPU each "
            + $"(payload {Encoding.UTF8.GetByteCount(payload)} bytes, {concurrency} in flight)"));
        await host.StopAsync();
    }
}
