using Microsoft.Extensions.Options;

namespace Webhooks.Processor.Slack;

/// <summary>Posts to Slack when <c>Slack__WebhookUrl</c> is set; otherwise writes the alert to the log (and counts it as delivered).</summary>
public sealed partial class AlertChannel(
    SlackWebhookClient slack,
    IOptions<SlackOptions> options,
    ILogger<AlertChannel> logger) : IAlertChannel
{
    public async Task<bool> PostAsync(SlackMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(options.Value.WebhookUrl))
        {
            LogAlert(message.Text, string.Join(Environment.NewLine, message.Sections));
            return true;
        }

        return await slack.PostAsync(message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ALERT (Slack__WebhookUrl is not set): {Text}\n{Details}")]
    private partial void LogAlert(string text, string details);
}
