using System.ComponentModel.DataAnnotations;

namespace Webhooks.Processor.Disputes;

/// <summary>Dispute alerts (<c>Disputes__*</c>).</summary>
public sealed class DisputesOptions
{
    public const string SectionName = "Disputes";

    /// <summary>
    /// A dispute still open this long before its evidence deadline is alerted again, once. A day leaves
    /// time to gather evidence; after the deadline the gateway decides without it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Disputes__DeadlineWarning must be a time span between 00:01:00 and 30.00:00:00.")]
    public TimeSpan DeadlineWarning { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often due dispute alerts are looked for without being woken: alerts Slack did not take, and
    /// deadlines coming near. A new dispute wakes the dispatcher at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Disputes__DispatchInterval must be a time span between 00:00:00.100 and 01:00:00.")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromMinutes(1);
}
