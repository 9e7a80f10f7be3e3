namespace Webhooks.Processor.Slack;

/// <summary>Slack's mrkdwn needs &amp;, &lt; and &gt; escaped; order ids and reasons come from outside and may hold them.</summary>
public static class SlackText
{
    public static string Escape(string? text) =>
        (text ?? "")
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Inline code: the backtick is dropped so that a value cannot close the span early.</summary>
    public static string Code(string? text) => "`" + Escape(text).Replace("`", "'", StringComparison.Ordinal) + "`";
}
