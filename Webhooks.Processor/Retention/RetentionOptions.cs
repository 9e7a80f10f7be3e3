using System.ComponentModel.DataAnnotations;

namespace Webhooks.Processor.Retention;

/// <summary>Which stored events the retention job deletes, how often and how fast (<c>Retention__*</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Off by default: deleting stored events is a decision each deployment takes on purpose.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Age (by <c>received_at</c>) past which a published, processed event may go. At least a day, so
    /// that an hours-for-days slip (<c>01:00:00</c>) cannot reach events a gateway may still retry.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention__OlderThan must be a time span between 1.00:00:00 and 3650.00:00:00.")]
    public TimeSpan OlderThan { get; set; } = TimeSpan.FromDays(90);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Retention__Interval must be a time span between 00:00:01 and 7.00:00:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows per DELETE and transaction: small enough that no lock or WAL burst lasts long.</summary>
    [Range(1, 100_000, ErrorMessage = "Retention__BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Rest between batches, so that replication and the receivers' commits keep up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Retention__BatchPause must be a time span between 00:00:00 and 00:01:00.")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The largest share of all stored events one run may delete; a run that would delete more
    /// deletes nothing and logs an error. A clock far in the future or a wrong <see cref="OlderThan"/>
    /// then cannot empty the store.
    /// </summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "Retention__MaxShare must be a number greater than 0 and at most 1 (e.g. 0.5).")]
    public double MaxShare { get; set; } = 0.5;

    /// <summary>Count and log what a run would delete, and delete nothing.</summary>
    public bool DryRun { get; set; }
}
