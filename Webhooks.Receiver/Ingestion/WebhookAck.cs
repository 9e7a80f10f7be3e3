namespace Webhooks.Receiver.Ingestion;

/// <summary>The 200 body: <c>{"status":"accepted"|"duplicate","id":"..."}</c>.</summary>
public sealed record WebhookAck(string Status, string Id)
{
    public static WebhookAck Accepted(string id) => new("accepted", id);

    public static WebhookAck Duplicate(string id) => new("duplicate", id);
}
