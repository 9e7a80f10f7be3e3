using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Cli.Output;

/// <summary>
/// Times on the command line: a span such as <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>2d</c> or
/// <c>00:15:00</c>, or for a point in time also an ISO 8601 date or timestamp (UTC unless it says).
/// </summary>
internal static partial class Durations
{
    public static TimeSpan ParseSpan(string text, string option)
    {
        if (TryParseSpan(text, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw CliException.Usage($"{option} '{text}' is not a duration: write it like 90s, 15m, 1h30m, 2d or 00:15:00.");
    }

    /// <summary>A span that may also be nothing at all (<c>0</c>, <c>0s</c>): "every one", or "no delay".</summary>
    public static TimeSpan ParseSpanOrZero(string text, string option)
    {
        if (text.Trim() == "0" || (TryParseSpan(text, out var span) && span == TimeSpan.Zero))
        {
            return TimeSpan.Zero;
        }

        return ParseSpan(text, option);
    }

    /// <summary>A span back from <paramref name="now"/>, or an absolute time.</summary>
    public static DateTimeOffset ParsePoint(string text, string option, DateTimeOffset now)
    {
        if (TryParseSpan(text, out var span) && span > TimeSpan.Zero)
        {
            return now - span;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var point))
        {
            return point;
        }

        throw CliException.Usage($"{option} '{text}' is neither a duration (1h, 30m, 2d) nor a time (2026-01-31T12:00:00Z).");
    }

    /// <summary>"1h 05m" for people.</summary>
    public static string Describe(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalDays >= 1)
        {
            return $"{(int)span.TotalDays}d {span.Hours:00}h";
        }

        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m" : $"{span.Minutes}m {span.Seconds:00}s";
    }

    private static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        var match = SpanPattern().Match(text.Trim());
        if (match.Success)
        {
            foreach (Capture capture in match.Groups["part"].Captures)
            {
                var value = double.Parse(capture.Value[..^1], CultureInfo.InvariantCulture);
                span += char.ToLowerInvariant(capture.Value[^1]) switch
                {
                    's' => TimeSpan.FromSeconds(value),
                    'm' => TimeSpan.FromMinutes(value),
                    'h' => TimeSpan.FromHours(value),
                    'd' => TimeSpan.FromDays(value),
                    _ => TimeSpan.FromDays(value * 7),
                };
            }

            return true;
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out span);
    }

    [GeneratedRegex(@"^(?<part>\d{1,6}(\.\d{1,3})?[smhdwSMHDW])+$")]
    private static partial Regex SpanPattern();
}
