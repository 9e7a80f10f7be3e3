using System.Text.Json;
using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>dlq list</c> on real dead letters: what it shows, and that looking disturbs nothing.</summary>
public class DlqListTests
{
    private static readonly string[] SummaryFields = ["messageId", "provider", "eventId", "type", "reason", "exceptionType", "failedAt", "attempts"];

    [Test]
    public async Task List_Json_ShowsEachDeadLetterWithItsReason_InTheContractsShape()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var events = new[] { FlakyProcessor.Event("payment_intent.succeeded"), FlakyProcessor.Event("charge.refunded") };
        var ids = await processor.DeadLetterAsync(events);
        var before = TimeProvider.System.GetUtcNow();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "list", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Is.Empty, "nothing but JSON, and nothing on standard error either");
        var rows = result.Json().EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("messageId").GetString()), Is.EqualTo(ids), "oldest first");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Multiple(() =>
            {
                Assert.That(row.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(SummaryFields));
                Assert.That(row.GetProperty("provider").GetString(), Is.EqualTo("stripe"));
                Assert.That(row.GetProperty("eventId").GetString(), Is.EqualTo(events[i].EventId));
                Assert.That(row.GetProperty("type").GetString(), Is.EqualTo(events[i].EventType));
                Assert.That(row.GetProperty("reason").GetString(), Is.EqualTo(FlakyProcessor.FailureReason));
                Assert.That(row.GetProperty("exceptionType").GetString(), Is.EqualTo("System.InvalidOperationException"));
                Assert.That(row.GetProperty("failedAt").GetDateTimeOffset(), Is.EqualTo(before).Within(TimeSpan.FromMinutes(1)));
                Assert.That(row.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            });
        }
    }

    [Test]
    public async Task ListTwice_ShowsTheSameMessagesInTheSameOrder_AndLeavesEveryMessageAsItWas()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(
            FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event(), FlakyProcessor.Event());
        var settings = schema.Settings(processor.QueueName);

        var first = await CliRunner.RunAsync(settings, "dlq", "list", "--json");
        var second = await CliRunner.RunAsync(settings, "dlq", "list", "--json");
        var third = await CliRunner.RunAsync(settings, "dlq", "list", "--limit", "2", "--json");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout), "the same messages, in the same order, with the same attempts");
        Assert.That(MessageIds(first), Is.EqualTo(ids));
        Assert.That(MessageIds(third), Is.EqualTo(ids.Take(2)), "--limit shows the oldest");

        // What is really in the queue now, taken out from outside the CLI.
        var left = await CliQueues.DrainAsync(processor.ErrorQueueName);
        Assert.That(left.Select(m => m.MessageId), Is.EqualTo(ids), "every message still there, in its place");
        Assert.Multiple(() =>
        {
            foreach (var message in left)
            {
                Assert.That(message.Headers, Does.Not.ContainKey("MT-Redelivery-Count"), "looking is not a redelivery");
                Assert.That(message.Headers, Does.Not.ContainKey("x-delivery-count"));
                Assert.That(message.Headers["MT-Fault-Message"], Is.EqualTo(FlakyProcessor.FailureReason), "the fault headers are untouched");
            }
        });
    }

    [Test]
    public async Task List_ForPeople_IsATableWithIdsAndReasons()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event());

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "list");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain(ids[0]).And.Contain(FlakyProcessor.FailureReason).And.Contain("InvalidOperationException"));
        Assert.That(result.Stdout, Does.Contain($"1 of 1 messages in {processor.ErrorQueueName}"));
    }

    [Test]
    public async Task List_NoDeadLetterQueueYet_IsAnEmptyList()
    {
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        // The processor's queue exists (the processor declared it); its dead-letter queue does not yet.
        await CliQueues.FillAsync(settings.QueueName, 0);

        var result = await CliRunner.RunAsync(settings, "dlq", "list", "--json");
        await CliQueues.DeleteAsync([settings.QueueName], []);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Json().GetArrayLength(), Is.Zero);
        Assert.That(result.Stderr, Does.Contain("nothing has been dead-lettered"), "the note goes to standard error, not into the JSON");
    }

    [Test]
    public async Task ListTwice_OnAQuorumQueue_KeepsTheOrder()
    {
        // A quorum queue puts an explicitly requeued message at its back; a closed channel returns
        // held messages to their places. The CLI must keep order on either kind of queue.
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        var ids = await CliQueues.FillAsync(settings.ErrorQueueName, 6, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        try
        {
            var first = await CliRunner.RunAsync(settings, "dlq", "list", "--limit", "3", "--json");
            var second = await CliRunner.RunAsync(settings, "dlq", "list", "--json");

            Assert.That(MessageIds(first), Is.EqualTo(ids.Take(3)), first.ToString());
            Assert.That(MessageIds(second), Is.EqualTo(ids), second.ToString());
            Assert.That((await CliQueues.DrainAsync(settings.ErrorQueueName)).Select(m => m.MessageId), Is.EqualTo(ids));
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.ErrorQueueName], []);
        }
    }

    private static List<string?> MessageIds(CliResult result) =>
        result.Json().EnumerateArray().Select(r => r.GetProperty("messageId").GetString()).ToList();
}
