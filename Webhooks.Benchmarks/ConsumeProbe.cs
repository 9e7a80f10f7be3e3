using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Webhooks.Contracts;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Messaging;

namespace Webhooks.Benchmarks;

/// <summary>
/// What consuming costs before any work is done (<c>bench/consume-pipeline.sh</c>): drains a queue
/// with a consumer that does nothing and prints the rate and this process's CPU per message.
/// <c>single</c>: MassTransit, one message per consume, with the processor's endpoint settings
/// (concurrency, prefetch, retry, kill switch, error pipe); <c>batch</c>: MassTransit's
/// <c>Batch&lt;T&gt;</c> consumer with the same failure handling; <c>raw</c>: RabbitMQ.Client with manual
/// acknowledgements, the floor under both. <c>declare</c> makes the queue and binds it to the exchange.
/// </summary>
internal static class ConsumeProbe
{
    private static readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int _consumed;
    private static int _target;

    public static async Task RunAsync(string mode, string exchange, string queue, int count)
    {
        _target = count;
        switch (mode)
        {
            case "declare":
                await DeclareAsync(exchange, queue);
                return;
            case "raw":
                await MeasureAsync(mode, count, () => RawAsync(queue));
                return;
            case "single" or "batch":
                await MeasureAsync(mode, count, () => MassTransitAsync(mode, queue));
                return;
            default:
                throw new ArgumentException($"Unknown mode '{mode}': expected declare, raw, single or batch.", nameof(mode));
        }
    }

    private static async Task MeasureAsync(string mode, int count, Func<Task<IAsyncDisposable>> start)
    {
        var process = Process.GetCurrentProcess();
        await using var consumer = await start();
        // Start-up excluded: the clock and the CPU count start with the first message.
        while (Volatile.Read(ref _consumed) == 0)
        {
            await Task.Delay(1);
        }

        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var first = Volatile.Read(ref _consumed);
        var watch = Stopwatch.StartNew();
        await Done.Task;
        watch.Stop();
        process.Refresh();
        var measured = count - first;
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: {measured} messages in {watch.Elapsed.TotalSeconds:0.00} s after the first: "
            + $"{measured / watch.Elapsed.TotalSeconds:0}/s, {cpu.TotalMilliseconds * 1000 / measured:0} µs CPU each"));
    }

    private static async Task DeclareAsync(string exchange, string queue)
    {
        await using var connection = await Address().ConnectAsync("consume-probe", CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, "");
    }

    private static async Task<IAsyncDisposable> RawAsync(string queue)
    {
        var connection = await Address().ConnectAsync("consume-probe", CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, (ushort)new ProcessorOptions().PrefetchCount, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, false);
            Count(1);
        };
        await channel.BasicConsumeAsync(queue, false, consumer);
        return new Disposables(channel, connection);
    }

    private static async Task<IAsyncDisposable> MassTransitAsync(string mode, string queue)
    {
        var options = new ProcessorOptions();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddConnectionStrings();
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName);
        builder.Services.AddMassTransit(bus => bus.UsingRabbitMq((context, cfg) =>
        {
            cfg.ConfigureWebhooksHost(context);
            cfg.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                if (mode == "batch")
                {
                    endpoint.PrefetchCount = options.ApplyBatchSize * 2;
                    endpoint.Consumer<NoOpBatchConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
                        .SetMessageLimit(options.ApplyBatchSize).SetTimeLimit(TimeSpan.FromMilliseconds(10)).SetConcurrencyLimit(2)));
                }
                else
                {
                    endpoint.PrefetchCount = options.PrefetchCount;
                    endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                    endpoint.Consumer<NoOpConsumer>();
                }

                endpoint.UseTransientFailureHandling(options, context);
            });
        }));
        var host = builder.Build();
        await host.StartAsync();
        return new Disposables(host);
    }

    private static RabbitMqAddress Address() =>
        RabbitMqAddress.Parse(Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? new ConnectionStringsOptions().RabbitMq);

    private static void Count(int messages)
    {
        if (Interlocked.Add(ref _consumed, messages) >= _target)
        {
            Done.TrySetResult();
        }
    }

    internal sealed class NoOpConsumer : IConsumer<PaymentEventReceived>
    {
        public Task Consume(ConsumeContext<PaymentEventReceived> context)
        {
            Count(1);
            return Task.CompletedTask;
        }
    }

    internal sealed class NoOpBatchConsumer : IConsumer<Batch<PaymentEventReceived>>
    {
        public Task Consume(ConsumeContext<Batch<PaymentEventReceived>> context)
        {
            Count(context.Message.Length);
            return Task.CompletedTask;
        }
    }

    private sealed class Disposables(params object[] items) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var item in items)
            {
                switch (item)
                {
                    case IHost host:
                        await host.StopAsync();
                        host.Dispose();
                        break;
                    case IAsyncDisposable disposable:
                        await disposable.DisposeAsync();
                        break;
                }
            }
        }
    }
}
