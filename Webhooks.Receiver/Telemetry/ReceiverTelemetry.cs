using System.Diagnostics;
using System.Diagnostics.Metrics;
using Webhooks.Infrastructure.Telemetry;
using Webhooks.Receiver.Outbox;

namespace Webhooks.Receiver.Telemetry;

/// <summary>
/// The receiver's spans and metrics (source and meter <c>Webhooks.Receiver</c>): events received by
/// provider and outcome (and, for a rejected signature, why), acknowledgement latency, publish lag,
/// the outbox backlog, and whether PostgreSQL and RabbitMQ answer. A gauge whose source cannot be
/// read is absent, never its last value.
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
    private readonly SampledValue<long> _backlog;
    private readonly SampledValue<double> _oldestAgeSeconds;
    private readonly SampledValue<int> _databaseUp;

    public ReceiverTelemetry(IMeterFactory meterFactory, TimeProvider clock, PublishChannels broker)
    {
        // A sample lives for three rounds of the outbox sampler: long enough for one slow round.
        var maxAge = 3 * OutboxSampler.SampleInterval;
        _backlog = new SampledValue<long>(clock, maxAge);
        _oldestAgeSeconds = new SampledValue<double>(clock, maxAge);
        _databaseUp = new SampledValue<int>(clock, maxAge);
        _meter = meterFactory.Create(Name);
        _received = _meter.CreateCounter<long>("webhooks.events.received", "{event}", "Webhook requests by provider and outcome.");
        _ackDuration = _meter.CreateHistogram(
            "webhooks.ack.duration",
            "s",
            "Time from the request's start to its answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _published = _meter.CreateCounter<long>("webhooks.events.published", "{event}", "Stored events the broker confirmed, by path (fast lane or relay).");
        _publishLag = _meter.CreateHistogram(
            "webhooks.publish.lag",
            "s",
            "Time from an event's receipt to the broker's confirm of its publish.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableGauge("webhooks.outbox.backlog", () => _backlog.Measure(), "{event}", "Stored events not yet confirmed by the broker.");
        _meter.CreateObservableGauge(
            "webhooks.outbox.oldest_age", () => _oldestAgeSeconds.Measure(), "s", "Age of the oldest event not yet confirmed by the broker.");
        _meter.CreateObservableGauge(
            "webhooks.dependency.up",
            () => _databaseUp.Measure(new KeyValuePair<string, object?>("dependency", "postgres")).Concat(BrokerUp(broker)),
            "{dependency}",
            "1 while the dependency answers, 0 while it does not: postgres (the outbox sampler's last query), rabbitmq (the outbox's connection).");
    }

    /// <param name="provider">A configured provider name, or <c>unknown</c>: never raw input, which would let callers invent series.</param>
    /// <param name="reason">For a rejected signature, one of <see cref="Signatures.SignatureRejection"/>'s values.</param>
    public void Received(string provider, string outcome, TimeSpan elapsed, string? reason = null)
    {
        var tags = new TagList { { "provider", provider }, { "outcome", outcome } };
        if (reason is not null)
        {
            tags.Add("reason", reason);
        }

        _received.Add(1, tags);
        _ackDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void Published(string path, TimeSpan lag)
    {
        var tags = new TagList { { "path", path } };
        _published.Add(1, tags);
        _publishLag.Record(Math.Max(0, lag.TotalSeconds), tags);
    }

    /// <summary>What the outbox sampler read; nulls when PostgreSQL did not answer.</summary>
    public void OutboxSampled(long? backlog, double? oldestAgeSeconds)
    {
        _backlog.Set(backlog);
        _oldestAgeSeconds.Set(oldestAgeSeconds);
        _databaseUp.Set(backlog is null ? 0 : 1);
    }

    /// <summary>The outbox's connection: absent until the first publish has tried one.</summary>
    private static IEnumerable<Measurement<int>> BrokerUp(PublishChannels broker) =>
        broker.IsConnected is { } connected ? [new Measurement<int>(connected ? 1 : 0, new KeyValuePair<string, object?>("dependency", "rabbitmq"))] : [];

    public void Dispose() => _meter.Dispose();
}
