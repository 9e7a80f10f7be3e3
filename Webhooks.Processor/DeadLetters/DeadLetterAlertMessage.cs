using System.Globalization;
using System.Text;
using Webhooks.Infrastructure;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// One Slack post for any number of dead-lettered events: counts by type and reason, the first few
/// events, the messages that failed again after a replay (with when and by whom, and when they were
/// first alerted), and the exact commands to run next, with real message ids and types.
/// </summary>
public static class DeadLetterAlertMessage
{
    public const int MaxGroupsShown = 10;
    public const int MaxEventsShown = 10;

    /// <summary>Message ids written into one replay command: enough to copy, short enough to read.</summary>
    public const int MaxIdsInCommand = 3;

    /// <summary>Types given a replay-by-type command each.</summary>
    public const int MaxTypesInCommands = 3;

    public static SlackMessage Build(IReadOnlyList<DeadLetterAlert> alerts, string errorQueueName)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var count = alerts.Count;
        var again = alerts.Where(a => a.Earlier is not null).ToList();
        var againNote = again.Count == 0 ? ""
            : again.Count == count ? " again, after a replay"
            : $" ({again.Count.ToString(CultureInfo.InvariantCulture)} of them again, after a replay)";
        var title = (count == 1
            ? $":rotating_light: 1 event was dead-lettered to {errorQueueName}"
            : $":rotating_light: {count.ToString(CultureInfo.InvariantCulture)} events were dead-lettered to {errorQueueName}") + againNote;

        var message = new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(ByReason(alerts));
        var fresh = alerts.Where(a => a.Earlier is null).ToList();
        if (fresh.Count > 0)
        {
            message.AddSection(Events("*Events*", fresh, _ => ""));
        }

        if (again.Count > 0)
        {
            message.AddSection(Events("*Failed again, after a replay*", again, AgainNote));
        }

        return message.AddContext(Commands(alerts));
    }

    private static string ByReason(IReadOnlyList<DeadLetterAlert> alerts)
    {
        var groups = alerts
            .GroupBy(a => (Type: a.EventType ?? "(no type)", a.ExceptionType, Reason: FailureText.OneLine(a.Reason)))
            .OrderByDescending(g => g.Count())
            .ToList();
        var text = new StringBuilder("*By type and reason*");
        foreach (var group in groups.Take(MaxGroupsShown))
        {
            var exception = SlackText.Escape(ShortTypeName(group.Key.ExceptionType));
            var reason = SlackText.Escape(group.Key.Reason);
            text.Append(CultureInfo.InvariantCulture, $"\n• {group.Count()} × {SlackText.Code(group.Key.Type)}: {exception}: {reason}");
        }

        if (groups.Count > MaxGroupsShown)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n…and {groups.Count - MaxGroupsShown} more kinds");
        }

        return text.ToString();
    }

    private static string Events(string heading, List<DeadLetterAlert> alerts, Func<DeadLetterAlert, string> note)
    {
        var text = new StringBuilder(heading);
        foreach (var alert in alerts.Take(MaxEventsShown))
        {
            var message = SlackText.Code(alert.MessageId?.ToString());
            text.Append(CultureInfo.InvariantCulture,
                $"\n• {SlackText.Code($"{alert.Provider}/{alert.EventId}")} message {message} failed {Time(alert.FailedAt)}{note(alert)}");
        }

        if (alerts.Count > MaxEventsShown)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n…and {alerts.Count - MaxEventsShown} more");
        }

        return text.ToString();
    }

    /// <summary>", again, after a replay at … by … (first alerted …)".</summary>
    private static string AgainNote(DeadLetterAlert alert)
    {
        var earlier = alert.Earlier!;
        var replay = earlier.ReplayedAt is { } at
            ? $" again, after a replay at {Time(at)} by {SlackText.Escape(earlier.ReplayedBy)}"
            : " again (no replay of it is recorded in cli_audit)";
        var first = earlier.FirstAlertedAt is { } alerted ? $" (first alerted {Time(alerted)})" : "";
        return replay + first;
    }

    /// <summary>What to run next, with the ids and types of this post: look at one, then replay these or all of their types.</summary>
    private static string Commands(IReadOnlyList<DeadLetterAlert> alerts)
    {
        var ids = alerts.Where(a => a.MessageId is not null).Select(a => a.MessageId!.Value.ToString("D")).Distinct().ToList();
        var types = alerts.Where(a => a.EventType is not null).Select(a => a.EventType!).Distinct(StringComparer.Ordinal).ToList();
        var steps = new List<string> { "Look: `./webhooks dlq list`" };
        if (ids.Count > 0)
        {
            steps.Add($"`./webhooks dlq show {Command(ids[0])}`");
            var replay = $"after a fix: `./webhooks dlq replay {string.Join(' ', ids.Take(MaxIdsInCommand).Select(Command))}`";
            steps.Add(ids.Count > MaxIdsInCommand ? $"{replay} (the first {MaxIdsInCommand} of {ids.Count})" : replay);
        }

        steps.AddRange(types.Take(MaxTypesInCommands).Select(type => $"every `{Command(type)}`: `./webhooks dlq replay --all --type {Command(type)}`"));
        if (types.Count > MaxTypesInCommands)
        {
            steps.Add($"…and {types.Count - MaxTypesInCommands} more types");
        }

        return string.Join(" · ", steps);
    }

    /// <summary>A value inside a command in backticks: escaped for Slack, and never a backtick of its own.</summary>
    private static string Command(string value) => SlackText.Escape(value).Replace("`", "'", StringComparison.Ordinal);

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string ShortTypeName(string exceptionType)
    {
        var dot = exceptionType.LastIndexOf('.');
        return dot < 0 ? exceptionType : exceptionType[(dot + 1)..];
    }
}
