using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>dlq purge</c>: deletes only what it showed, and only when told to.</summary>
public class DlqPurgeTests
{
    [Test]
    public async Task PurgeWithoutYes_WhenNobodyAnswers_DeletesNothing()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());
        var settings = schema.Settings(processor.QueueName);

        var noInput = await CliRunner.RunAsync(settings, "dlq", "purge", "--all");
        var answeredNo = await CliRunner.RunWithInputAsync(settings, "n\n", "dlq", "purge", ids[0]);

        Assert.That(noInput.ExitCode, Is.EqualTo(1), noInput.ToString());
        Assert.That(noInput.Stderr, Does.Contain(ids[1]).And.Contain("Nothing was deleted").And.Contain("not a terminal"),
            "it showed what it would delete, and asked nobody");
        Assert.That(answeredNo.Stderr, Does.Contain("Delete 1 message").And.Contain("was not confirmed"), "at a terminal it asked");
        Assert.That(answeredNo.ExitCode, Is.EqualTo(1), answeredNo.ToString());
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        Assert.That(await schema.AuditAsync(), Is.Empty, "nothing was changed, so nothing is recorded");
    }

    [Test]
    public async Task PurgeAnsweredYes_DeletesOnlyTheGivenIds_TheOthersKeepTheirPlaces()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event());

        var result = await CliRunner.RunWithInputAsync(schema.Settings(processor.QueueName), "y\n", "dlq", "purge", ids[1], ids[2]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Deleted 2 messages"));
        Assert.That((await CliQueues.DrainAsync(processor.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(new[] { ids[0], ids[3] }));
        var audit = (await schema.AuditAsync()).Single();
        Assert.That((audit.Action, audit.Succeeded, audit.OsUser), Is.EqualTo(("dlq purge", 2, Environment.UserName)));
        Assert.That(audit.ItemIds, Is.EquivalentTo(new[] { ids[1], ids[2] }));
    }

    [Test]
    public async Task PurgeAllWithYes_EmptiesTheQueue()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        await processor.DeadLetterAsync(FlakyProcessor.Event(), FlakyProcessor.Event());

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "purge", "--all", "--yes");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.Zero);
    }

    [Test]
    public async Task PurgeAll_OfMoreThanAThousand_AlsoNeedsForce()
    {
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        await CliQueues.FillAsync(settings.ErrorQueueName, 1001, headers: new Dictionary<string, object?> { ["MT-Fault-Message"] = "boom"u8.ToArray() });
        try
        {
            var withoutForce = await CliRunner.RunAsync(settings, "dlq", "purge", "--all", "--yes");

            Assert.That(withoutForce.ExitCode, Is.EqualTo(2), withoutForce.ToString());
            Assert.That(withoutForce.StderrLines.Last(), Does.Contain("--force"));
            Assert.That(await CliQueues.CountAsync(settings.ErrorQueueName), Is.EqualTo(1001u), "nothing deleted");

            var withForce = await CliRunner.RunAsync(settings, "dlq", "purge", "--all", "--yes", "--force");

            Assert.That(withForce.ExitCode, Is.Zero, withForce.ToString());
            Assert.That(withForce.Stdout, Does.Contain("Deleted 1,001 messages"));
            Assert.That(await CliQueues.CountAsync(settings.ErrorQueueName), Is.Zero);
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.ErrorQueueName], []);
        }
    }
}
