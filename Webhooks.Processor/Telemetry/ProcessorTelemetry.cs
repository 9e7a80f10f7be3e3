using System.Diagnostics;
using System.Diagnostics.Metrics;
using Webhooks.Processor.Orders;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// The processor's spans and metrics (source and meter <c>Webhooks.Processor</c>): events processed by
/// outcome, the time from receipt to order update, the events per commit, the dead-letter depth and the stuck orders,
/// and the payment lifecycle: refunds, disputes opened and closed, events waiting for their payment intent's order.
/// </summary>
public sealed class ProcessorTelemetry : IDisposable
{
    public const string Name = "Webhooks.Processor";

    public static readonly ActivitySource Source = new(Name);

    // Seconds: from a few milliseconds behind the receiver to a backlog of minutes.
    private static readonly IReadOnlyList<double> LagBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

    private static readonly IReadOnlyList<int> BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000];

    private readonly Meter _meter;
    private readonly Counter<long> _processed;
    private readonly Histogram<double> _lag;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _refunds;
    private readonly Counter<long> _disputesOpened;
    private readonly Counter<long> _disputesClosed;
    private readonly Counter<long> _waiting;
    private long _deadLetterDepth;
    private long _stuckOrders;
    private long _waitingNow;
    private long _unlinked;

    public ProcessorTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _processed = _meter.CreateCounter<long>("webhooks.events.processed", "{event}", "Events consumed, by outcome (applied, ignored, unchanged, duplicate).");
        _lag = _meter.CreateHistogram("webhooks.processing.lag", "s", "Time from an event's receipt by the receiver to its order update.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _batchSize = _meter.CreateHistogram("webhooks.apply.batch_size", "{event}", "Events applied in one transaction (one commit).", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _meter.CreateObservableGauge("webhooks.dead_letter.depth", () => Volatile.Read(ref _deadLetterDepth), "{message}", "Messages waiting in the dead-letter queue.");
        _meter.CreateObservableGauge("webhooks.orders.stuck", () => Volatile.Read(ref _stuckOrders), "{order}", "Orders pending longer than StuckOrders__PendingThreshold.");
        _refunds = _meter.CreateCounter<long>("webhooks.refunds", "{refund}", "Refund events applied, by kind (partial, full).");
        _disputesOpened = _meter.CreateCounter<long>("webhooks.disputes.opened", "{dispute}", "Disputes that became known.");
        _disputesClosed = _meter.CreateCounter<long>("webhooks.disputes.closed", "{dispute}", "Disputes that closed, by outcome (won, lost).");
        _waiting = _meter.CreateCounter<long>(
            "webhooks.events.waiting", "{event}", "Events that began waiting for their payment intent's order, and that were applied after waiting (state).");
        _meter.CreateObservableGauge(
            "webhooks.events.waiting.now", () => Volatile.Read(ref _waitingNow), "{event}", "Events waiting for their payment intent's order.");
        _meter.CreateObservableGauge(
            "webhooks.events.unlinked",
            () => Volatile.Read(ref _unlinked),
            "{event}",
            "Events waiting longer than StuckOrders__PendingThreshold for their payment intent's order.");
    }

    public void Processed(EventOutcome outcome, TimeSpan lag)
    {
        var tags = new TagList { { "outcome", OutcomeName(outcome) } };
        _processed.Add(1, tags);
        _lag.Record(Math.Max(0, lag.TotalSeconds), tags);
    }

    public void Batched(int events) => _batchSize.Record(events);

    public void Lifecycle(BatchEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        Add(_refunds, effects.PartialRefunds, "kind", "partial");
        Add(_refunds, effects.FullRefunds, "kind", "full");
        Add(_disputesOpened, effects.DisputesOpened, null, null);
        Add(_disputesClosed, effects.DisputesWon, "outcome", "won");
        Add(_disputesClosed, effects.DisputesLost, "outcome", "lost");
        Add(_waiting, effects.Parked, "state", "waiting");
        Add(_waiting, effects.Released, "state", "applied");
    }

    public void SampledWaiting(long? waiting, long? unlinked)
    {
        if (waiting is { } now)
        {
            Volatile.Write(ref _waitingNow, now);
        }

        if (unlinked is { } old)
        {
            Volatile.Write(ref _unlinked, old);
        }
    }

    public void Sampled(long? deadLetterDepth, long? stuckOrders)
    {
        if (deadLetterDepth is { } depth)
        {
            Volatile.Write(ref _deadLetterDepth, depth);
        }

        if (stuckOrders is { } stuck)
        {
            Volatile.Write(ref _stuckOrders, stuck);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static void Add(Counter<long> counter, int count, string? tag, string? value)
    {
        if (count > 0)
        {
            if (tag is null)
            {
                counter.Add(count);
            }
            else
            {
                counter.Add(count, new KeyValuePair<string, object?>(tag, value));
            }
        }
    }

    private static string OutcomeName(EventOutcome outcome) => outcome switch
    {
        EventOutcome.Applied => "applied",
        EventOutcome.Ignored => "ignored",
        EventOutcome.Unchanged => "unchanged",
        EventOutcome.Waiting => "waiting",
        _ => "duplicate",
    };
}
