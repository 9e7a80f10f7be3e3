using System.ComponentModel.DataAnnotations;

namespace Webhooks.Processor.Telemetry;

/// <summary>How often the processor samples what its gauges show (<c>Metrics__*</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// How often the queues, PostgreSQL and the store are read for the gauges; a value is shown for
    /// three intervals at most, so a source that cannot be read disappears from <c>/metrics</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Metrics__SampleInterval must be a time span between 00:00:00.100 and 00:10:00.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
