using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Webhooks.Receiver.Telemetry;

/// <summary>
/// The receiver's spans and metrics (source and meter <c>Webhooks.Receiver</c>): events received by
/// provider and outcome, acknowledgement latency, publish lag and the outbox backlog.
/// </summary>
public sealed class ReceiverTelemetry : IDisposable
{
    public const string Name = "Webhooks.Receiver";

    public static readonly ActivitySource Source = new(Name);

    // Seconds: from a fast in-memory duplicate (sub-millisecond) to a 503 at the store timeout.
    private static readonly IReadOnlyList<double> LatencyBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Histogram<double> _ackDuration;
    private readonly Counter<long> _published;
    private readonly Histogram<double> _publishLag;
    private long _backlog;
    private double _oldestAgeSeconds;

    public ReceiverTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _received = _meter.CreateCounter<long>("webhooks.events.received", "{event}", "Webhook requests by provider and outcome.");
        _ackDuration = _meter.CreateHistogram("webhooks.ack.duration", "s", "Time from the request's start to its answer.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _published = _meter.CreateCounter<long>("webhooks.events.published", "{event}", "Stored events the broker confirmed, by path (fast lane or relay).");
        _publishLag = _meter.CreateHistogram("webhooks.publish.lag", "s", "Time from an event's receipt to the broker's confirm of its publish.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableGauge("webhooks.outbox.backlog", () => Volatile.Read(ref _backlog), "{event}", "Stored events not yet confirmed by the broker.");
        _meter.CreateObservableGauge("webhooks.outbox.oldest_age", () => Volatile.Read(ref _oldestAgeSeconds), "s", "Age of the oldest event not yet confirmed by the broker.");
    }

    /// <param name="provider">A configured provider name, or <c>unknown</c>: never raw input, which would let callers invent series.</param>
    public void Received(string provider, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "provider", provider }, { "outcome", outcome } };
        _received.Add(1, tags);
        _ackDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Published(string path, TimeSpan lag)
    {
        var tags = new TagList { { "path", path } };
        _published.Add(1, tags);
        _publishLag.Record(Math.Max(0, lag.TotalSeconds), tags);
    }

    public void OutboxSampled(long backlog, double oldestAgeSeconds)
    {
        Volatile.Write(ref _backlog, backlog);
        Volatile.Write(ref _oldestAgeSeconds, oldestAgeSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
