using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

/// <summary>One request to the Slack stand-in: the raw JSON, the status it was answered with, and when.</summary>
public sealed record SlackPost(string Body, int Status, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Text => Json.GetProperty("text").GetString() ?? "";

    public bool Names(string value) => Body.Contains(value, StringComparison.Ordinal);
}
