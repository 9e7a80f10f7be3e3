using System.Globalization;

namespace Webhooks.Processor;

/// <summary>Durations as people and the CLI write them.</summary>
public static class DurationText
{
    /// <summary>For people: "45s", "17m", "1h 5m", "2d 3h".</summary>
    public static string Human(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration switch
        {
            { TotalMinutes: < 1 } => $"{(int)duration.TotalSeconds}s",
            { TotalHours: < 1 } => $"{(int)duration.TotalMinutes}m",
            { TotalDays: < 1 } => duration.Minutes == 0 ? $"{(int)duration.TotalHours}h" : $"{(int)duration.TotalHours}h {duration.Minutes}m",
            _ => duration.Hours == 0 ? $"{(int)duration.TotalDays}d" : $"{(int)duration.TotalDays}d {duration.Hours}h",
        };
    }

    /// <summary>For a CLI argument such as <c>--older-than 15m</c>: the largest unit that divides the duration exactly.</summary>
    public static string Compact(TimeSpan duration)
    {
        var seconds = (long)Math.Max(1, Math.Round(duration.TotalSeconds));
        return seconds switch
        {
            _ when seconds % 86400 == 0 => (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d",
            _ when seconds % 3600 == 0 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h",
            _ when seconds % 60 == 0 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m",
            _ => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        };
    }

    /// <summary>Whole hours, rounded up, for <c>--since</c>: "a window that surely covers it".</summary>
    public static string HoursCovering(TimeSpan duration) =>
        Math.Max(1, (long)Math.Ceiling(duration.TotalHours)).ToString(CultureInfo.InvariantCulture) + "h";
}
