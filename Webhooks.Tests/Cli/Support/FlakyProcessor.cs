using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Contracts;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// A tiny MassTransit service on the real broker standing in for the processor: a consumer of
/// <see cref="PaymentEventReceived"/> on a queue of the test's own that throws (as the processor does
/// when its table is gone) until <see cref="Fix"/> is called. Its failures are real dead letters,
/// moved to <c>&lt;queue&gt;_error</c> with MassTransit's own fault headers.
/// </summary>
public sealed class FlakyProcessor : IAsyncDisposable
{
    public const string FailureReason = "relation \"orders\" does not exist";

    private readonly ServiceProvider _services;
    private readonly IBusControl _bus;
    private bool _stopped;

    private FlakyProcessor(ServiceProvider services, FlakyProcessorState state, string queueName, string exchange)
    {
        _services = services;
        _bus = services.GetRequiredService<IBusControl>();
        State = state;
        QueueName = queueName;
        Exchange = exchange;
    }

    public string QueueName { get; }

    public string ErrorQueueName => QueueName + "_error";

    public string Exchange { get; }

    public FlakyProcessorState State { get; }

    /// <summary>What the consumer took once it was fixed, in the order it took them.</summary>
    public ConcurrentQueue<ConsumedMessage> Consumed => State.Consumed;

    public static async Task<FlakyProcessor> StartAsync(string? queueName = null)
    {
        var queue = queueName ?? TestEnvironment.UniqueName("cli-processor");
        var exchange = TestEnvironment.UniqueName("cli-events");
        var state = new FlakyProcessorState();
        var services = new ServiceCollection();
        services.AddSingleton(state);
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.AddConsumer<FlakyConsumer>().Endpoint(endpoint =>
            {
                endpoint.Name = queue;
                // One at a time, so that dead letters reach the error queue in the order they were sent.
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.PrefetchCount = 1;
            });
            bus.UsingRabbitMq((context, cfg) =>
            {
                var address = TestEnvironment.RabbitMqAddress;
                cfg.Host(address.Host, (ushort)address.Port, address.VirtualHost, h =>
                {
                    h.Username(address.Username);
                    h.Password(address.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.Message<PaymentEventReceived>(m => m.SetEntityName(exchange));
                cfg.ConfigureEndpoints(context);
            });
        });

        var provider = services.BuildServiceProvider();
        var processor = new FlakyProcessor(provider, state, queue, exchange);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await processor._bus.StartAsync(timeout.Token);
        return processor;
    }

    /// <summary>The cause is fixed: from now on every message is consumed.</summary>
    public void Fix() => State.Failing = false;

    /// <summary>Publishes each event (with a message id of its own) and waits until all of them are dead-lettered; returns the message ids in order.</summary>
    public async Task<List<string>> DeadLetterAsync(params PaymentEventReceived[] events)
    {
        var ids = new List<string>();
        var before = await CliQueues.CountAsync(ErrorQueueName);
        foreach (var message in events)
        {
            var id = NewId.NextGuid();
            await _bus.Publish(message, context =>
            {
                context.MessageId = id;
                context.Durable = true;
            });
            ids.Add(id.ToString());
            // One by one, so that the error queue's order is the order of the ids returned.
            var expected = before + (uint)ids.Count;
            Assert.That(
                await CliQueues.WaitForCountAsync(ErrorQueueName, expected, TimeSpan.FromSeconds(30)),
                Is.EqualTo(expected),
                "the consumer should dead-letter each message");
        }

        return ids;
    }

    /// <summary>Publishes one event to the consumer's exchange, as the receiver would.</summary>
    public Task PublishAsync(PaymentEventReceived message) => _bus.Publish(message, context => context.Durable = true);

    /// <summary>Waits until the fixed consumer has taken at least <paramref name="count"/> messages.</summary>
    public Task<bool> WaitForConsumedAsync(int count) =>
        Eventually.TrueAsync(() => Task.FromResult(State.Consumed.Count >= count), TimeSpan.FromSeconds(30));

    /// <summary>Stops consuming (the queues stay), e.g. to delete the input queue under a replay.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _bus.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await _services.DisposeAsync();
            await CliQueues.DeleteAsync(
                queues: [QueueName, ErrorQueueName, QueueName + "_skipped"],
                exchanges: [Exchange, QueueName, ErrorQueueName, QueueName + "_skipped"]);
        }
    }

    public static PaymentEventReceived Event(string type = "payment_intent.succeeded", string? orderId = null, string provider = "stripe")
    {
        var eventId = TestEvents.NewEventId();
        return new PaymentEventReceived(
            Random.Shared.NextInt64(1, long.MaxValue),
            provider,
            eventId,
            type,
            TimeProvider.System.GetUtcNow(),
            TestEvents.StripeBody(eventId, type, orderId ?? $"order_{Guid.NewGuid():N}"));
    }
}
