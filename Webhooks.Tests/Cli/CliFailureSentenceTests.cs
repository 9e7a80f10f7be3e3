using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary>
/// One sentence for every failure, on the real process: a setting or option value that does not
/// parse names itself and what it expects; an unknown queue is an error; unknown ids change and audit
/// nothing; a list that was cut says so on standard error.
/// </summary>
public class CliFailureSentenceTests
{
    [TestCase("StuckOrders__PendingThreshold", "banana", "orders stuck", "StuckOrders__PendingThreshold 'banana' is not a time span")]
    [TestCase("StuckOrders__PendingThreshold", "00:00:00", "orders stuck", "StuckOrders__PendingThreshold must be a time span between")]
    [TestCase("Processor__QueueName", "no spaces", "dlq list", "Processor__QueueName may contain")]
    public async Task ASettingThatDoesNotParse_IsOneSentenceNamingTheVariable(string variable, string value, string verb, string expected)
    {
        var environment = new Dictionary<string, string> { [variable] = value };

        var result = await CliProcess.RunWithAsync(CliSettings.ForSchema("public"), null, environment, verb.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith(expected).And.Not.Contain("System."));
    }

    [TestCase("dlq list --limit abc", "--limit 'abc' is not a whole number")]
    [TestCase("dlq replay --all --limit 1.5", "--limit '1.5' is not a whole number")]
    [TestCase("events list --limit x", "--limit 'x' is not a whole number")]
    [TestCase("simulate --rate fast", "--rate 'fast' is not a number")]
    public async Task AnOptionValueThatDoesNotParse_IsAUsageErrorNamingTheOption(string command, string expected)
    {
        var result = await CliProcess.RunAsync(CliSettings.ForSchema("public"), command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith(expected).And.Not.Contain("System."));
    }

    [Test]
    public async Task AnUnknownQueue_IsAnError_NotAnEmptyList()
    {
        var settings = CliSettings.ForSchema("public", queueName: "typo-" + Guid.NewGuid().ToString("N")[..8]);

        var result = await CliProcess.RunAsync(settings, "dlq", "list", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain($"There is no queue {settings.QueueName}").And.Contain("Processor__QueueName"));
    }

    [Test]
    public async Task ReplaysOfUnknownIds_ChangeNothing_AuditNothing_AndSaySo()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event());
        var unknown = Guid.NewGuid().ToString();
        var settings = schema.Settings(processor.QueueName);

        var dlq = await CliProcess.RunAsync(settings, "dlq", "replay", unknown);
        var events = await CliProcess.RunAsync(settings, "events", "replay", "stripe", "evt_never_stored", "--wait", "0");

        Assert.That(dlq.ExitCode, Is.EqualTo(1), dlq.ToString());
        Assert.That(dlq.StderrLines, Is.EqualTo(new[] { $"Nothing was replayed: the given id is not in {processor.ErrorQueueName} ({unknown})." }));
        Assert.That(dlq.Stdout, Does.Not.Contain("Replayed"));
        Assert.That(events.ExitCode, Is.EqualTo(1), events.ToString());
        Assert.That(events.Stderr, Does.Contain("evt_never_stored"));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        Assert.That(await schema.AuditAsync(), Is.Empty, "nothing changed, nothing recorded");
    }

    [Test]
    public async Task AJsonListThatWasCut_SaysSoOnStandardError()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event());
        await StoredEventSeed.InsertManyAsync(schema, 3, TimeProvider.System.GetUtcNow());
        var settings = schema.Settings(processor.QueueName);

        var cut = await CliProcess.RunAsync(settings, "dlq", "list", "--limit", "2", "--json");
        var whole = await CliProcess.RunAsync(settings, "dlq", "list", "--json");
        var events = await CliProcess.RunAsync(settings, "events", "list", "--limit", "2", "--json");

        Assert.That(cut.ExitCode, Is.Zero, cut.ToString());
        Assert.That(cut.Json().EnumerateArray().Select(m => m.GetProperty("messageId").GetString()), Is.EqualTo(ids.Take(2)));
        Assert.That(cut.Stderr.Trim(), Is.EqualTo($"Only the oldest 2 messages of 3 in {processor.ErrorQueueName} are listed; --limit 3 lists them all."));
        Assert.That(whole.Json().GetArrayLength(), Is.EqualTo(3));
        Assert.That(whole.Stderr, Is.Empty, "nothing was cut");
        Assert.That(events.Json().GetArrayLength(), Is.EqualTo(2));
        Assert.That(events.Stderr, Does.Contain("Only the newest 2 events are listed and more match"));
    }
}
