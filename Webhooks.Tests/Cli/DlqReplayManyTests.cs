using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>Replays of many messages at once, and a dead-letter queue someone else is reading.</summary>
public class DlqReplayManyTests
{
    [Test]
    public async Task ReplayAll_OfManyMessages_CopiesEachOnceInOrder_AndRemovesEachOriginal()
    {
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        var ids = await FillDeadLettersAsync(settings, 300);
        try
        {
            var result = await CliRunner.RunAsync(settings, "dlq", "replay", "--all");

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(await CliQueues.CountAsync(settings.ErrorQueueName), Is.Zero);
            var copies = await CliQueues.DrainAsync(settings.QueueName);
            Assert.That(copies.Select(c => c.MessageId), Is.EqualTo(ids), "each once, in the order they were dead-lettered");
            Assert.That(copies.SelectMany(c => c.Headers.Keys), Has.None.StartWith("MT-Fault-").And.None.EqualTo("MT-Reason"));
            Assert.That((await schema.AuditAsync()).Single().Succeeded, Is.EqualTo(300));
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.QueueName, settings.ErrorQueueName], []);
        }
    }

    [Test]
    public async Task ReplayWithLimit_TakesTheOldestOnly()
    {
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        var ids = await FillDeadLettersAsync(settings, 5);
        try
        {
            var result = await CliRunner.RunAsync(settings, "dlq", "replay", "--all", "--limit", "2");

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That((await CliQueues.DrainAsync(settings.QueueName)).Select(c => c.MessageId), Is.EqualTo(ids.Take(2)));
            Assert.That((await CliQueues.DrainAsync(settings.ErrorQueueName)).Select(c => c.MessageId), Is.EqualTo(ids.Skip(2)));
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.QueueName, settings.ErrorQueueName], []);
        }
    }

    [Test]
    public async Task WhileAnotherConsumerReadsTheQueue_TheCliRefusesInOneSentence_AndChangesNothing()
    {
        await using var schema = CliSchema.Create();
        var settings = schema.Settings();
        var ids = await FillDeadLettersAsync(settings, 2);
        try
        {
            var result = await BoundQueue.WithChannelAsync(async channel =>
            {
                // Someone (another ./webhooks, say) is holding the queue right now.
                await channel.BasicQosAsync(0, 1, false);
                await channel.BasicConsumeAsync(settings.ErrorQueueName, autoAck: false, new AsyncEventingBasicConsumer(channel));
                return await CliRunner.RunAsync(settings, "dlq", "replay", "--all");
            });

            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StderrLines.Last(), Does.StartWith("Another consumer is reading"));
            Assert.That((await CliQueues.DrainAsync(settings.ErrorQueueName)).Select(c => c.MessageId), Is.EqualTo(ids));
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.QueueName, settings.ErrorQueueName], []);
        }
    }

    /// <summary>Dead letters as MassTransit shapes them, failed from <c>settings.QueueName</c> (which exists, empty).</summary>
    private static async Task<List<string>> FillDeadLettersAsync(CliSettings settings, int count)
    {
        await BoundQueue.WithChannelAsync(channel => channel.QueueDeclareAsync(settings.QueueName, durable: true, exclusive: false, autoDelete: false));
        var address = TestEnvironment.RabbitMqAddress;
        return await CliQueues.FillAsync(settings.ErrorQueueName, count, headers: new Dictionary<string, object?>
        {
            ["MT-Reason"] = "fault"u8.ToArray(),
            ["MT-Fault-Message"] = "boom"u8.ToArray(),
            ["MT-Fault-ExceptionType"] = "System.InvalidOperationException"u8.ToArray(),
            ["MT-Fault-InputAddress"] = Encoding.UTF8.GetBytes($"rabbitmq://{address.Host}:{address.Port}/{settings.QueueName}"),
        });
    }
}
