namespace Webhooks.Processor.Slack;

/// <summary>Where alerts go. False means "not delivered now": the caller keeps the alert due and tries on a later round.</summary>
public interface IAlertChannel
{
    Task<bool> PostAsync(SlackMessage message, CancellationToken cancellationToken);
}
