using System.Diagnostics.Metrics;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// Reconciliation's metrics (meter <c>Webhooks.Reconciliation</c>, exported by every service):
/// <c>webhooks.reconciliation.events</c> {outcome: ingested, already_stored} and
/// <c>webhooks.gateway.failures</c> {kind}. Observable counters, so every label is exported from the
/// start at 0 and a rate is right from the first failure on.
/// </summary>
public sealed class ReconciliationTelemetry : IDisposable
{
    public const string MeterName = "Webhooks.Reconciliation";

    private readonly Meter _meter;
    private long _ingested;
    private long _alreadyStored;
    private readonly Dictionary<string, long> _failures = GatewayFailureKind.All.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);

    public ReconciliationTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter(
            "webhooks.reconciliation.events",
            () => new[]
            {
                new Measurement<long>(Interlocked.Read(ref _ingested), new KeyValuePair<string, object?>("outcome", "ingested")),
                new Measurement<long>(Interlocked.Read(ref _alreadyStored), new KeyValuePair<string, object?>("outcome", "already_stored")),
            },
            "{event}",
            "Events the gateway listed as not delivered: stored by reconciliation (ingested), or found already stored.");
        _meter.CreateObservableCounter(
            "webhooks.gateway.failures",
            () =>
            {
                lock (_failures)
                {
                    return _failures.Select(f => new Measurement<long>(f.Value, new KeyValuePair<string, object?>("kind", f.Key))).ToList();
                }
            },
            "{call}",
            "Failed calls to the gateway's API, by kind (unauthorized, forbidden, rate_limited, server_error, timeout, network, rejected); "
            + "retried ones included.");
    }

    public void Reconciled(int ingested, int alreadyStored)
    {
        Interlocked.Add(ref _ingested, ingested);
        Interlocked.Add(ref _alreadyStored, alreadyStored);
    }

    public void Failed(string kind)
    {
        lock (_failures)
        {
            _failures[kind] = _failures.GetValueOrDefault(kind) + 1;
        }
    }

    public void Dispose() => _meter.Dispose();
}
