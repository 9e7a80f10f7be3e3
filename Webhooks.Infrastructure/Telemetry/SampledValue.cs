using System.Diagnostics.Metrics;

namespace Webhooks.Infrastructure.Telemetry;

/// <summary>
/// The last value a sampler read for an observable gauge, reported only while it is fresh. When the
/// source cannot be read the sampler sets null, and a sampler that stopped sampling leaves a value
/// that ages out: either way the series is absent from <c>/metrics</c> instead of repeating a value
/// that is no longer true.
/// </summary>
public sealed class SampledValue<T>(TimeProvider clock, TimeSpan maxAge)
    where T : struct
{
    private readonly Lock _lock = new();
    private T? _value;
    private DateTimeOffset _at;

    public void Set(T? value)
    {
        lock (_lock)
        {
            _value = value;
            _at = clock.GetUtcNow();
        }
    }

    /// <summary>The value with <paramref name="tags"/>, or nothing when there is none or it is older than allowed.</summary>
    public IEnumerable<Measurement<T>> Measure(params KeyValuePair<string, object?>[] tags)
    {
        lock (_lock)
        {
            if (_value is { } value && clock.GetUtcNow() - _at <= maxAge)
            {
                return [new Measurement<T>(value, tags)];
            }
        }

        return [];
    }
}
