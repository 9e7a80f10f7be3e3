using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary>Exit codes and error sentences: 2 for a command line that cannot mean anything, 1 for work that failed.</summary>
public class CliUsageTests
{
    private static readonly CliSettings Settings = CliSettings.ForSchema("public");

    [TestCase(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [TestCase(new string[0], "Required command was not provided")]
    [TestCase(new[] { "dlq" }, "Required command was not provided")]
    [TestCase(new[] { "dlq", "list", "--limit", "many" }, "--limit 'many' is not a whole number")]
    [TestCase(new[] { "dlq", "list", "--limit", "0" }, "--limit must be at least 1")]
    [TestCase(new[] { "dlq", "show" }, "Required argument missing")]
    [TestCase(new[] { "dlq", "replay" }, "Give the message ids to act on, or --all")]
    [TestCase(new[] { "dlq", "replay", "8b1e5f0a-2c3d-4e5f-9a0b-1c2d3e4f5a6b", "--all" }, "not both")]
    [TestCase(new[] { "dlq", "replay", "abc" }, "'abc' is not a message id")]
    [TestCase(new[] { "dlq", "purge", "8b1e5f0a-2c3d-4e5f-9a0b-1c2d3e4f5a6b", "--dry-run", "--yes" }, "'--dry-run' looks like an option")]
    [TestCase(new[] { "dlq", "purge" }, "Give the message ids to act on, or --all")]
    [TestCase(new[] { "dlq", "list", "--jsn" }, "Unrecognized command or argument '--jsn'")]
    [TestCase(new[] { "events", "replay", "stripe" }, "Give a provider and one or more of its event ids")]
    [TestCase(new[] { "events", "replay", "stripe", "evt_1", "--since", "1h" }, "not both")]
    [TestCase(new[] { "events", "list", "--since", "yesterday-ish" }, "--since 'yesterday-ish'")]
    [TestCase(new[] { "orders", "stuck", "--older-than", "soon" }, "--older-than 'soon' is not a duration")]
    public async Task UsageError_ExitsTwo_WithOneSentenceOnStandardError(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(Settings, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1), "one sentence");
        Assert.That(result.Stderr, Does.Contain(expected));
    }

    [Test]
    public async Task Help_ExitsZero_AndNamesEveryVerb()
    {
        var root = await CliRunner.RunAsync(Settings, "--help");
        var replay = await CliRunner.RunAsync(Settings, "dlq", "replay", "--help");

        Assert.That(root.ExitCode, Is.Zero, root.ToString());
        Assert.That(root.Stdout, Does.Contain("dlq").And.Contain("events").And.Contain("orders"));
        Assert.That(replay.ExitCode, Is.Zero);
        Assert.That(replay.Stdout, Does.Contain("--dry-run").And.Contain("both queues").And.Contain("harmless"),
            "the help says what a crash between confirm and removal can do");
    }

    [Test]
    public async Task BadSetting_FailsWithOneSentence_NamingTheVariable()
    {
        var settings = Settings with { Extra = new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = "http://not-amqp" } };

        var result = await CliRunner.RunAsync(settings, "dlq", "list");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("ConnectionStrings__RabbitMq"));
    }

    [Test]
    public async Task BrokerUnreachable_FailsWithOneSentence()
    {
        var settings = Settings with { Extra = new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/" } };

        var result = await CliRunner.RunAsync(settings, "dlq", "list", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty, "no half JSON");
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("RabbitMQ at amqp://127.0.0.1:1/ did not answer").And.Not.Contain("guest:guest"));
    }

    [Test]
    public async Task DatabaseWithoutTheStore_FailsWithOneSentence()
    {
        await using var schema = CliSchema.Create();

        var result = await CliRunner.RunAsync(schema.Settings(), "events", "list");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[]
        {
            "There is no webhook_events table in this database: has a receiver ever started against it (check ConnectionStrings__Postgres)?",
        }));
    }
}
