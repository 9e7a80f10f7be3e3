using System.Diagnostics;
using System.Diagnostics.Metrics;
using Webhooks.Processor.Orders;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// The processor's spans and metrics (source and meter <c>Webhooks.Processor</c>): events processed by
/// outcome, the time from receipt to order update, the events per commit, and the payment lifecycle:
/// refunds, disputes opened and closed, events waiting for their payment intent's order. The sampled
/// gauges (queues, dependencies, stuck orders, waiting events, the oldest unprocessed event) are <see cref="BacklogGauges"/>.
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

    public ProcessorTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _processed = _meter.CreateCounter<long>(
            "webhooks.events.processed", "{event}", "Events consumed, by outcome (applied, ignored, unchanged, duplicate).");
        _lag = _meter.CreateHistogram(
            "webhooks.processing.lag",
            "s",
            "Time from an event's receipt by the receiver to its order update.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        _batchSize = _meter.CreateHistogram(
            "webhooks.apply.batch_size",
            "{event}",
            "Events applied in one transaction (one commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _refunds = _meter.CreateCounter<long>("webhooks.refunds", "{refund}", "Refund events applied, by kind (partial, full).");
        _disputesOpened = _meter.CreateCounter<long>("webhooks.disputes.opened", "{dispute}", "Disputes that became known.");
        _disputesClosed = _meter.CreateCounter<long>("webhooks.disputes.closed", "{dispute}", "Disputes that closed, by outcome (won, lost).");
        _waiting = _meter.CreateCounter<long>(
            "webhooks.events.waiting", "{event}", "Events that began waiting for their payment intent's order, and that were applied after waiting (state).");
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
