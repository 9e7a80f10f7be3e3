using System.ComponentModel.DataAnnotations;

namespace Webhooks.Processor.DeadLetters;

/// <summary>How dead-letter alerts are grouped into Slack posts (<c>DeadLetterAlerts__*</c>).</summary>
public sealed class DeadLetterAlertsOptions
{
    public const string SectionName = "DeadLetterAlerts";

    /// <summary>
    /// How often due alerts are posted. Everything that failed within one interval becomes one post
    /// with counts, so a burst of a thousand poison messages is a handful of posts, not a thousand.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00",
        ErrorMessage = "DeadLetterAlerts__DispatchInterval must be a time span between 00:00:00.100 and 01:00:00.")]
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);
}
