using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.Processor.Slack;

/// <summary>
/// An incoming-webhook post: <see cref="Text"/> is what notifications and old clients show; the
/// blocks are what the channel shows (a title, sections of mrkdwn, a context line with commands).
/// </summary>
public sealed class SlackMessage
{
    // Slack rejects a section whose text is longer than 3000 characters.
    private const int MaxSectionLength = 3000;

    // The body goes to Slack's API, never into a page: no need to escape backticks and bullets as \uXXXX.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonArray _blocks = [];
    private readonly List<string> _sections = [];

    public SlackMessage(string text)
    {
        Text = text;
    }

    public string Text { get; }

    /// <summary>The blocks' texts in order, for the log when Slack is not configured.</summary>
    public IReadOnlyList<string> Sections => _sections;

    public SlackMessage AddSection(string mrkdwn)
    {
        _sections.Add(mrkdwn);
        _blocks.Add(new JsonObject
        {
            ["type"] = "section",
            ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(mrkdwn) },
        });
        return this;
    }

    public SlackMessage AddContext(string mrkdwn)
    {
        _sections.Add(mrkdwn);
        _blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(mrkdwn) }),
        });
        return this;
    }

    public string ToJson() => new JsonObject
    {
        ["text"] = Text,
        ["blocks"] = _blocks.DeepClone(),
    }.ToJsonString(Json);

    private static string Truncate(string text) => text.Length <= MaxSectionLength ? text : text[..(MaxSectionLength - 1)] + "…";
}
