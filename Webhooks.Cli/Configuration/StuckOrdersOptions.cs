using System.ComponentModel.DataAnnotations;

namespace Webhooks.Cli.Configuration;

/// <summary>
/// <c>StuckOrders__PendingThreshold</c>, the setting the processor's stuck-order alert uses, so that
/// <c>orders stuck</c> without <c>--older-than</c> names the orders the alert names.
/// </summary>
public sealed class StuckOrdersOptions
{
    public const string SectionName = "StuckOrders";

    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "StuckOrders__PendingThreshold must be between 00:00:01 and 365.00:00:00.")]
    public TimeSpan PendingThreshold { get; set; } = TimeSpan.FromMinutes(15);
}
