using System.ComponentModel.DataAnnotations;

namespace Webhooks.Processor.Slack;

/// <summary>Where alerts go (<c>Slack__*</c>). The webhook URL is a secret: it is never logged or echoed.</summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>Slack incoming-webhook URL; unset means alerts are only logged.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>One attempt's time limit: Slack answers in well under a second when it is healthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Slack__Timeout must be a time span between 00:00:00.100 and 00:05:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Retries of one post on a 5xx, a 429 or a network error. Few, because an alert that is not
    /// delivered stays due and goes out on a later scan anyway.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Slack__MaxRetries must be between 0 and 10.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; it doubles with jitter for the next ones.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Slack__RetryDelay must be a time span between 00:00:00.010 and 00:01:00.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <c>Retry-After</c> waited for within one post. A longer one ends the attempt and
    /// no post is tried before that time has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Slack__MaxRetryAfter must be a time span between 00:00:00 and 00:10:00.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
