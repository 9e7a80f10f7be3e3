using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Settings;

/// <summary>
/// When an order counts as stuck and how often the processor looks (<c>StuckOrders__*</c>). Read by the
/// processor's alert and by the CLI's <c>orders stuck</c>, so that both name the same orders.
/// </summary>
public sealed class StuckOrdersOptions
{
    public const string SectionName = "StuckOrders";

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "StuckOrders__PendingThreshold must be a time span between 00:00:01 and 30.00:00:00.")]
    public TimeSpan PendingThreshold { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "StuckOrders__ScanInterval must be a time span between 00:00:01 and 1.00:00:00.")]
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "StuckOrders__EscalationInterval must be a time span between 00:00:01 and 30.00:00:00.")]
    public TimeSpan EscalationInterval { get; set; } = TimeSpan.FromHours(1);
}
