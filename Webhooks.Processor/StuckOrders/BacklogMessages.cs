using System.Globalization;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// The backlog alert: stored events wait longer than the stuck-order threshold to be processed. One post
/// for the whole backlog (its size and age, and where to look) instead of one stuck order per event, and
/// a short all-clear when processing has caught up.
/// </summary>
public static class BacklogMessages
{
    public static SlackMessage Alert(BacklogAlert backlog, DateTimeOffset now, StuckOrdersOptions options, bool again)
    {
        ArgumentNullException.ThrowIfNull(backlog);
        ArgumentNullException.ThrowIfNull(options);
        var age = now - backlog.OldestReceivedAt;
        var size = backlog.SizeIsCapped
            ? $"more than {BacklogAlert.MaxCounted.ToString("N0", CultureInfo.InvariantCulture)} stored events wait"
            : backlog.Size == 1 ? "1 stored event waits" : $"{backlog.Size.ToString("N0", CultureInfo.InvariantCulture)} stored events wait";
        var title = $":inbox_tray: Processing is behind{(again ? ", still" : "")}: {size} to be processed, the oldest for {DurationText.Human(age)} "
            + $"(longer than {DurationText.Human(options.PendingThreshold)})";
        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(
                $"The oldest was received at {backlog.OldestReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. "
                + "Orders whose events are among them are not alerted "
                + "as stuck: nothing is wrong with their payments, they wait for the processor.")
            .AddContext(
                $"Look: `./webhooks orders stuck` (diagnosis: queued) · `./webhooks events list --since {DurationText.HoursCovering(age)}` · "
                + "`./webhooks dlq list` · the processors' `/health/ready` and `webhooks_queue_depth{queue=\"events\"}`");
    }

    public static SlackMessage AllClear(DateTime firstAlertedAt, StuckOrdersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var title = $":white_check_mark: Processing has caught up: no stored event waits longer than {DurationText.Human(options.PendingThreshold)} "
            + $"(behind since the alert at {firstAlertedAt:yyyy-MM-dd HH:mm} UTC)";
        return new SlackMessage(title).AddSection($"*{SlackText.Escape(title)}*");
    }
}
