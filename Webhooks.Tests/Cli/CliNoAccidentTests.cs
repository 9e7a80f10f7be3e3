using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary>
/// The on-call tool never acts by accident, checked on the real process: a word that looks like an
/// option is a usage error on every verb, message ids are ids, and a question is asked only at a
/// terminal (a pipe's "y" is no answer; Ctrl-C is a no at once).
/// </summary>
public class CliNoAccidentTests
{
    private static readonly string[][] OptionLikeCommands =
    [
        ["dlq", "purge", "{id}", "--dry-run", "--yes"],
        ["dlq", "purge", "{id}", "-n", "--yes"],
        ["dlq", "replay", "{id}", "--dryrun"],
        ["dlq", "replay", "--all", "--type", "--dryrun"],
        ["dlq", "show", "{id}", "--jsn"],
        ["dlq", "list", "--jsn"],
        ["events", "replay", "stripe", "evt_x", "--dryrun"],
        ["events", "replay", "stripe", "--dry", "evt_x"],
        ["events", "show", "stripe", "evt_x", "--jsn"],
        ["events", "list", "--provider", "--jsn"],
        ["orders", "stuck", "--older", "1h"],
        ["orders", "show", "order_x", "--jsn"],
        ["orders", "show", "order_x", "--dry-run"],
        ["reconcile", "--dryrun"],
        ["reconcile", "--since", "--dry-run"],
        ["simulate", "--ordrs", "3"],
    ];

    [Test]
    public async Task AWordThatLooksLikeAnOption_OnEveryVerb_IsAUsageError_AndNothingIsDoneOrAudited()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());
        await StoredEventSeed.InsertAsync(schema, "stripe", "evt_x", "charge.succeeded", TimeProvider.System.GetUtcNow(), "{}");
        var settings = schema.Settings(processor.QueueName);

        foreach (var command in OptionLikeCommands)
        {
            var args = command.Select(a => a == "{id}" ? ids[0] : a).ToArray();
            var result = await CliProcess.RunAsync(settings, args);

            Assert.That(result.ExitCode, Is.EqualTo(2), $"webhooks {string.Join(' ', args)}: {result}");
            Assert.That(result.Stdout, Is.Empty, string.Join(' ', args));
            Assert.That(result.StderrLines, Has.Length.EqualTo(1), string.Join(' ', args));
            Assert.That(result.Stderr, Does.Contain("looks like an option").Or.Contain("Unrecognized"), string.Join(' ', args));
        }

        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids), "nothing purged or replayed");
        Assert.That(await schema.AuditAsync(), Is.Empty);
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.Zero, "no event queued for publishing");
    }

    [TestCase("dlq", "purge", "123", "--yes")]
    [TestCase("dlq", "replay", "evt_1")]
    [TestCase("dlq", "show", "payment-event-received")]
    public async Task AMessageIdThatIsNoGuid_IsAUsageError(params string[] args)
    {
        var result = await CliProcess.RunAsync(CliSettings.ForSchema("public"), args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain($"'{args[2]}' is not a message id"));
    }

    [Test]
    public async Task Purge_WithYPipedIn_Refuses_BecauseAPipeIsNotAPerson()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());

        // echo y | ./webhooks dlq purge --all
        var result = await CliProcess.RunWithAsync(schema.Settings(processor.QueueName), "y\n", null, "dlq", "purge", "--all");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines.Last(), Does.Contain("Nothing was deleted").And.Contain("not a terminal").And.Contain("--yes"));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        Assert.That(await schema.AuditAsync(), Is.Empty);
    }

    [Test]
    public async Task Purge_AtATerminal_DeletesOnY_AndCtrlCIsANoAtOnce()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());
        var settings = schema.Settings(processor.QueueName);

        await using (var interrupted = CliTerminal.Start(settings, "dlq", "purge", ids[0]))
        {
            Assert.That(await interrupted.WaitForAsync("[y/N]", TimeSpan.FromSeconds(60)), Is.True, interrupted.Output);
            await interrupted.TypeAsync(CliTerminal.CtrlC);

            // No Enter follows: the answer must not wait for one.
            Assert.That(await interrupted.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(1), interrupted.Output);
            Assert.That(interrupted.Output, Does.Contain("Nothing was deleted").And.Contain("Ctrl-C"));
        }

        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.EqualTo(2u), "Ctrl-C deleted nothing");
        Assert.That(await schema.AuditAsync(), Is.Empty);

        await using (var confirmed = CliTerminal.Start(settings, "dlq", "purge", ids[0]))
        {
            Assert.That(await confirmed.WaitForAsync("[y/N]", TimeSpan.FromSeconds(60)), Is.True, confirmed.Output);
            await confirmed.TypeAsync("y\r");

            Assert.That(await confirmed.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, confirmed.Output);
        }

        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(new[] { ids[1] }));
        Assert.That((await schema.AuditAsync()).Single().ItemIds, Is.EqualTo(new[] { ids[0] }));
    }

    [Test]
    public async Task EventsReplayOfALargeRange_FromAPipe_RefusesWithoutYes()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        await StoredEventSeed.InsertManyAsync(schema, 1001, TimeProvider.System.GetUtcNow());

        var result = await CliProcess.RunWithAsync(schema.Settings(), "y\n", null, "events", "replay", "--since", "2h", "--wait", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines.Last(), Does.Contain("Nothing was replayed").And.Contain("not a terminal"));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.Zero);
        Assert.That(await schema.AuditAsync(), Is.Empty);
    }

    [Test]
    public async Task ReplayAllDryRunJson_ListsWhatWouldGoBack_AndChangesNothing()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event("charge.refunded"), FlakyProcessor.Event());

        var result = await CliProcess.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", "--all", "--dry-run", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var report = result.Json();
        Assert.That(report.GetProperty("dryRun").GetBoolean(), Is.True);
        Assert.That(report.GetProperty("selected").GetInt32(), Is.EqualTo(2));
        Assert.That(report.GetProperty("replayed").GetInt32(), Is.Zero);
        var messages = report.GetProperty("messages").EnumerateArray().ToList();
        Assert.That(messages.Select(m => m.GetProperty("messageId").GetString()), Is.EqualTo(ids));
        Assert.That(messages[0].GetProperty("type").GetString(), Is.EqualTo("charge.refunded"));
        Assert.That(messages[0].GetProperty("backTo").GetString(), Is.EqualTo(processor.QueueName));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        Assert.That(await schema.AuditAsync(), Is.Empty);
    }
}
