using Microsoft.Extensions.Options;

namespace Webhooks.Processor.Slack;

/// <summary>Says once at start that alerts will only reach the log, so that nobody waits for a Slack post that cannot come.</summary>
public sealed partial class SlackStartupNotice(IOptions<SlackOptions> options, ILogger<SlackStartupNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.WebhookUrl))
        {
            LogNoSlack();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Slack__WebhookUrl is not set: dead-letter, dispute and stuck-order alerts are written to this log only")]
    private partial void LogNoSlack();
}
