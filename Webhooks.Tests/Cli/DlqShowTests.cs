using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>dlq show</c>: one message whole, left in place.</summary>
public class DlqShowTests
{
    [Test]
    public async Task Show_Json_HasTheHeadersTheFaultAndThePayload()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var message = FlakyProcessor.Event("payment_intent.payment_failed");
        var ids = await processor.DeadLetterAsync(FlakyProcessor.Event(), message);

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "show", ids[1], "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var shown = result.Json();
        Assert.Multiple(() =>
        {
            Assert.That(shown.GetProperty("messageId").GetString(), Is.EqualTo(ids[1]));
            Assert.That(shown.GetProperty("eventId").GetString(), Is.EqualTo(message.EventId));
            Assert.That(shown.GetProperty("type").GetString(), Is.EqualTo("payment_intent.payment_failed"));
            Assert.That(shown.GetProperty("reason").GetString(), Is.EqualTo(FlakyProcessor.FailureReason));
            Assert.That(shown.GetProperty("stackTrace").GetString(), Does.Contain(nameof(FlakyConsumer)));
            Assert.That(shown.GetProperty("inputQueue").GetString(), Is.EqualTo(processor.QueueName));
            Assert.That(shown.GetProperty("headers").GetProperty("MT-Fault-ExceptionType").GetString(), Is.EqualTo("System.InvalidOperationException"));
            Assert.That(shown.GetProperty("headers").GetProperty("MT-Reason").GetString(), Is.EqualTo("fault"));
            Assert.That(shown.GetProperty("payload").GetString(), Is.EqualTo(message.Payload), "the webhook body exactly as stored");
            Assert.That(shown.GetProperty("body").GetString(), Does.Contain("\"messageType\""), "the MassTransit envelope as it is in the queue");
        });
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.EqualTo(2u), "showing takes nothing away");
    }

    [Test]
    public async Task Show_ForPeople_ShowsFaultAndPayload()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        var message = FlakyProcessor.Event();
        var ids = await processor.DeadLetterAsync(message);

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "show", ids[0]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain(FlakyProcessor.FailureReason).And.Contain(message.EventId).And.Contain("MT-Fault-InputAddress"));
    }

    [Test]
    public async Task Show_UnknownId_FailsWithOneSentence()
    {
        await using var processor = await FlakyProcessor.StartAsync();
        await using var schema = CliSchema.Create();
        await processor.DeadLetterAsync(FlakyProcessor.Event());
        var unknown = Guid.NewGuid().ToString();

        var result = await CliRunner.RunAsync(schema.Settings(processor.QueueName), "dlq", "show", unknown, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(unknown).And.Contain(processor.ErrorQueueName));
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.EqualTo(1u));
    }
}
