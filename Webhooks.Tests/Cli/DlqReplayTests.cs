using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>dlq replay</c>: back to the queue each message failed from, confirmed before it leaves the dead-letter queue.</summary>
public class DlqReplayTests
{
    [Test]
    public async Task ReplayOne_GoesBackToItsQueueWithItsMessageId_WithoutFaultHeaders_TheOthersKeepTheirPlaces()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var events = new[] { FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event() };
        var ids = await processor.DeadLetterAsync(events);
        processor.Fix();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", ids[1]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain($"Replayed 1 message from {processor.ErrorQueueName} to {processor.QueueName}"));
        Assert.That(await processor.WaitForConsumedAsync(1), Is.True, "the copy reaches the consumer");
        var consumed = processor.Consumed.Single();
        Assert.Multiple(() =>
        {
            Assert.That(consumed.MessageId, Is.EqualTo(ids[1]), "the message id is kept");
            Assert.That(consumed.EventId, Is.EqualTo(events[1].EventId));
            Assert.That(consumed.Headers.Keys, Has.None.StartWith("MT-Fault-"));
            Assert.That(consumed.Headers.Keys, Has.None.EqualTo("MT-Reason").And.None.EqualTo("MT-Redelivery-Count"));
        });
        var left = await CliQueues.DrainAsync(processor.ErrorQueueName);
        Assert.That(left.Select(m => m.MessageId), Is.EqualTo(new[] { ids[0], ids[2], ids[3] }), "the others stay, in their order");
    }

    [Test]
    public async Task ReplayAll_PutsEveryMessageThrough_AndEmptiesTheDeadLetterQueue()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event());
        processor.Fix();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", "--all");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await processor.WaitForConsumedAsync(3), Is.True);
        Assert.That(processor.Consumed.Select(c => c.MessageId), Is.EquivalentTo(ids));
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.Zero);
    }

    [Test]
    public async Task ReplayAllOfAType_ReplaysOnlyThatType()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(
            FlakyProcessor.Event("charge.refunded"), FlakyProcessor.Event("payment_intent.succeeded"), FlakyProcessor.Event("charge.refunded"));
        processor.Fix();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", "--all", "--type", "charge.refunded");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await processor.WaitForConsumedAsync(2), Is.True);
        Assert.That(processor.Consumed.Select(c => c.MessageId), Is.EquivalentTo(new[] { ids[0], ids[2] }));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(new[] { ids[1] }));
    }

    [Test]
    public async Task DryRun_ChangesNothing()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());
        processor.Fix();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", "--all", "--dry-run");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Dry run: 2 messages would be replayed").And.Contain(ids[0]).And.Contain(ids[1]));
        // A message published now reaches the consumer after anything the dry run might have sent back.
        var marker = FlakyProcessor.Event();
        await processor.PublishAsync(marker);
        Assert.That(await processor.WaitForConsumedAsync(1), Is.True);
        Assert.That(processor.Consumed.Select(m => m.EventId), Is.EqualTo(new[] { marker.EventId }), "nothing was sent back");
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'cli_audit'"), Is.Zero,
            "a dry run does not even create the audit table");
    }

    [Test]
    public async Task Replay_WhenNoQueueTakesTheCopy_LeavesTheMessageWhereItWas()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());
        // The queue the messages failed from is gone (renamed, deleted): a copy would be unroutable.
        await processor.StopAsync();
        await CliQueues.DeleteAsync([processor.QueueName], []);

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", ids[0]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines.Last(), Does.Contain("stayed in").And.Contain($"no queue {processor.QueueName}"));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids), "both still there, in order");
        var audit = (await schema.AuditAsync()).Single();
        Assert.That((audit.Selected, audit.Succeeded, audit.Failed), Is.EqualTo((1, 0, 1)), "the attempt is recorded too");
    }

    [Test]
    public async Task Replay_IsRecordedInTheAuditTableAndTheLog_WhoWhenWhatHowMany()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event());
        processor.Fix();
        var before = TimeProvider.System.GetUtcNow().UtcDateTime;

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", ids[2], ids[0]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var audit = (await schema.AuditAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(audit.OsUser, Is.EqualTo(Environment.UserName));
            Assert.That(audit.OccurredAt, Is.EqualTo(before).Within(TimeSpan.FromMinutes(1)));
            Assert.That(audit.Action, Is.EqualTo("dlq replay"));
            Assert.That(audit.Target, Does.Contain(processor.ErrorQueueName).And.Contain(processor.QueueName));
            Assert.That(audit.Selection, Does.Contain(ids[0]).And.Contain(ids[2]));
            Assert.That((audit.Selected, audit.Succeeded, audit.Failed), Is.EqualTo((2, 2, 0)));
            Assert.That(audit.ItemIds, Is.EquivalentTo(new[] { ids[0], ids[2] }));
        });
        Assert.That(result.Stderr, Does.Contain("audit:").And.Contain("dlq replay").And.Contain("2 of 2 done"), "and the log line on standard error");
        Assert.That(result.Stdout, Does.Not.Contain("audit:"));
    }

    [Test]
    public async Task Replay_AnIdThatIsNotThere_ReplaysTheOthersAndFails()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event());
        processor.Fix();
        var unknown = Guid.NewGuid().ToString();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "replay", ids[0], unknown);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines.Last(), Does.Contain(unknown).And.Contain("not in"));
        Assert.That(await processor.WaitForConsumedAsync(1), Is.True, "the id that was there is replayed");
    }
}
