using System.Globalization;
using System.Text;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.DeadLetters;

/// <summary>One Slack post for any number of dead-lettered events: counts by type and reason, the first few events, and what to run next.</summary>
public static class DeadLetterAlertMessage
{
    public const int MaxGroupsShown = 10;
    public const int MaxEventsShown = 10;

    public static SlackMessage Build(IReadOnlyList<DeadLetterAlert> alerts, string errorQueueName)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var count = alerts.Count;
        var title = count == 1
            ? $":rotating_light: 1 event was dead-lettered to {errorQueueName}"
            : $":rotating_light: {count.ToString(CultureInfo.InvariantCulture)} events were dead-lettered to {errorQueueName}";

        var groups = alerts
            .GroupBy(a => (Type: a.EventType ?? "(no type)", a.ExceptionType, a.Reason))
            .OrderByDescending(g => g.Count())
            .ToList();
        var byReason = new StringBuilder("*By type and reason*");
        foreach (var group in groups.Take(MaxGroupsShown))
        {
            byReason.Append(CultureInfo.InvariantCulture, $"\n• {group.Count()} × {SlackText.Code(group.Key.Type)}: {SlackText.Escape(ShortTypeName(group.Key.ExceptionType))}: {SlackText.Escape(group.Key.Reason)}");
        }

        if (groups.Count > MaxGroupsShown)
        {
            byReason.Append(CultureInfo.InvariantCulture, $"\n…and {groups.Count - MaxGroupsShown} more kinds");
        }

        var events = new StringBuilder("*Events*");
        foreach (var alert in alerts.Take(MaxEventsShown))
        {
            events.Append(CultureInfo.InvariantCulture, $"\n• {SlackText.Code($"{alert.Provider}/{alert.EventId}")} message {SlackText.Code(alert.MessageId?.ToString())} failed {alert.FailedAt:yyyy-MM-dd HH:mm:ss} UTC");
        }

        if (count > MaxEventsShown)
        {
            events.Append(CultureInfo.InvariantCulture, $"\n…and {count - MaxEventsShown} more");
        }

        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(byReason.ToString())
            .AddSection(events.ToString())
            .AddContext("Look further: `./webhooks dlq list` · `./webhooks dlq show <message-id>` · after a fix: `./webhooks dlq replay --all --type <type>`");
    }

    private static string ShortTypeName(string exceptionType)
    {
        var dot = exceptionType.LastIndexOf('.');
        return dot < 0 ? exceptionType : exceptionType[(dot + 1)..];
    }
}
