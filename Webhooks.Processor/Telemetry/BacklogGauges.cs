using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Telemetry;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// The gauges an operator watches, from <see cref="BacklogSampler"/>: the depth of the event queue and
/// of its dead-letter queue, whether RabbitMQ and PostgreSQL answer, the stuck orders, the events
/// waiting for their payment intent's order, and the age of the oldest stored event not yet processed. A gauge whose source cannot be read is absent (and
/// <c>webhooks.dependency.up</c> says which source), never its last value.
/// </summary>
public sealed class BacklogGauges
{
    private static readonly KeyValuePair<string, object?> EventQueue = new("queue", "events");
    private static readonly KeyValuePair<string, object?> DeadLetterQueue = new("queue", "dead_letters");
    private static readonly KeyValuePair<string, object?> RabbitMq = new("dependency", "rabbitmq");
    private static readonly KeyValuePair<string, object?> Postgres = new("dependency", "postgres");

    private readonly SampledValue<long> _eventQueue;
    private readonly SampledValue<long> _deadLetterQueue;
    private readonly SampledValue<int> _brokerUp;
    private readonly SampledValue<int> _databaseUp;
    private readonly SampledValue<long> _stuckOrders;
    private readonly SampledValue<double> _oldestUnprocessed;
    private readonly SampledValue<long> _waiting;
    private readonly SampledValue<long> _unlinked;

    public BacklogGauges(IMeterFactory meterFactory, TimeProvider clock, IOptions<MetricsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        var maxAge = 3 * options.Value.SampleInterval;
        _eventQueue = new SampledValue<long>(clock, maxAge);
        _deadLetterQueue = new SampledValue<long>(clock, maxAge);
        _brokerUp = new SampledValue<int>(clock, maxAge);
        _databaseUp = new SampledValue<int>(clock, maxAge);
        _stuckOrders = new SampledValue<long>(clock, maxAge);
        _oldestUnprocessed = new SampledValue<double>(clock, maxAge);
        _waiting = new SampledValue<long>(clock, maxAge);
        _unlinked = new SampledValue<long>(clock, maxAge);

        // The same meter as ProcessorTelemetry's (the factory hands out one per name).
        var meter = meterFactory.Create(ProcessorTelemetry.Name);
        meter.CreateObservableGauge(
            "webhooks.queue.depth",
            () => _eventQueue.Measure(EventQueue).Concat(_deadLetterQueue.Measure(DeadLetterQueue)),
            "{message}",
            "Messages ready in the processor's queue (queue=events) and in its dead-letter queue (queue=dead_letters).");
        meter.CreateObservableGauge(
            "webhooks.dependency.up",
            () => _brokerUp.Measure(RabbitMq).Concat(_databaseUp.Measure(Postgres)),
            "{dependency}",
            "1 while the dependency answers the sampler, 0 while it does not (rabbitmq, postgres).");
        meter.CreateObservableGauge(
            "webhooks.orders.stuck", () => _stuckOrders.Measure(), "{order}", "Orders pending longer than StuckOrders__PendingThreshold.");
        meter.CreateObservableGauge(
            "webhooks.processing.oldest_unprocessed_age",
            () => _oldestUnprocessed.Measure(),
            "s",
            "Age of the oldest stored event that is neither processed nor dead-lettered (0: none); rises while the processor stalls.");
        meter.CreateObservableGauge(
            "webhooks.events.waiting.now", () => _waiting.Measure(), "{event}", "Events waiting for their payment intent's order.");
        meter.CreateObservableGauge(
            "webhooks.events.unlinked",
            () => _unlinked.Measure(),
            "{event}",
            "Events waiting longer than StuckOrders__PendingThreshold for their payment intent's order.");
    }

    /// <summary>What the broker said; null depths and false when it did not answer.</summary>
    public void BrokerSampled(bool up, long? eventQueue, long? deadLetterQueue)
    {
        _brokerUp.Set(up ? 1 : 0);
        _eventQueue.Set(eventQueue);
        _deadLetterQueue.Set(deadLetterQueue);
    }

    /// <summary>What PostgreSQL said; nulls for what could not be read (the oldest event also while the first walk of the store is not done).</summary>
    public void DatabaseSampled(bool up, long? stuckOrders, TimeSpan? oldestUnprocessed, long? waiting = null, long? unlinked = null)
    {
        _databaseUp.Set(up ? 1 : 0);
        _stuckOrders.Set(stuckOrders);
        _oldestUnprocessed.Set(oldestUnprocessed?.TotalSeconds);
        _waiting.Set(waiting);
        _unlinked.Set(unlinked);
    }
}
