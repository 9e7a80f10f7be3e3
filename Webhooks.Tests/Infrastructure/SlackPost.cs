using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

/// <summary>One request to the Slack stand-in: the raw JSON, the status it was answered with, and when.</summary>
public sealed record SlackPost(string Body, int Status, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Text => Json.GetProperty("text").GetString() ?? "";

    /// <summary>The text and every block's text, as the channel shows them.</summary>
    public string Content => string.Join('\n', [Text, .. Json.GetProperty("blocks").EnumerateArray().Select(BlockText)]);

    public bool Names(string value) => Content.Contains(value, StringComparison.Ordinal);

    private static string BlockText(JsonElement block) =>
        block.TryGetProperty("text", out var text) ? text.GetProperty("text").GetString() ?? ""
        : string.Join(' ', block.GetProperty("elements").EnumerateArray().Select(e => e.GetProperty("text").GetString()));
}
