using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// <c>Processor__QueueType=quorum</c> on the real broker: every queue that holds work is a quorum queue,
/// and a restart meets a queue of the other type without failing on it, or stops naming the setting.
/// </summary>
public class QuorumQueueTests
{
    private static readonly Dictionary<string, string?> Quorum = new() { ["Processor:QueueType"] = "quorum" };

    [Test]
    public async Task Quorum_TheEventQueue_ItsDeadLetterQueue_AndTheAlertQueue_AreQuorumQueues()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, Quorum).Start();
        var poison = TestPayments.WithDataObject("charge.refunded", null);

        await processor.PublishAsync(poison);

        var alerted = await Eventually.TrueAsync(
            async () => await new OrderQueries(schema.ConnectionString).DeadLetterAlertCountAsync(poison.EventId) == 1, TimeSpan.FromSeconds(30));
        Assert.That(alerted, Is.True, "the poison event was dead-lettered and its fault recorded");
        Assert.Multiple(async () =>
        {
            Assert.That(await BrokerManagement.QueueTypeAsync(processor.QueueName), Is.EqualTo("quorum"));
            Assert.That(await BrokerManagement.QueueTypeAsync(processor.ErrorQueueName), Is.EqualTo("quorum"));
            Assert.That(await BrokerManagement.QueueTypeAsync(processor.QueueName + "-dead-letter-alerts"), Is.EqualTo("quorum"));
        });
    }

    [TestCase("-dead-letter-alerts")]
    [TestCase("")]
    public async Task Restart_MeetingAnEmptyQueueOfTheOtherType_DeclaresItAnewAsQuorum(string suffix)
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        var queueName = TestEnvironment.UniqueName("test-processor");
        var queue = queueName + suffix;
        // As a processor of the version before quorum alert queues, or one started as classic, left it.
        await BoundQueue.WithChannelAsync(channel => channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false));

        await using var processor = new ProcessorFactory(schema.ConnectionString, Quorum, queue: queueName).Start();

        Assert.That(await BrokerManagement.QueueTypeAsync(queue), Is.EqualTo("quorum"));
        Assert.That(processor.Logs.Lines.Any(l => l.Contains($"Queue {queue} was empty", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Restart_MeetingAQueueOfTheOtherTypeThatHoldsMessages_StopsAtStart_NamingTheSettingAndTheQueue()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        var queueName = TestEnvironment.UniqueName("test-processor");
        await BoundQueue.WithChannelAsync(async channel =>
        {
            await channel.QueueDeclareAsync(queueName, durable: true, exclusive: false, autoDelete: false);
            var persistent = new RabbitMQ.Client.BasicProperties { Persistent = true };
            await channel.BasicPublishAsync("", queueName, mandatory: true, persistent, BoundQueue.Utf8("waiting"));
            return 0;
        });
        await using var processor = new ProcessorFactory(schema.ConnectionString, Quorum, queue: queueName);

        var failure = Assert.Catch(() => processor.Start());

        Assert.That(failure!.ToString(), Does.Contain("Processor__QueueType").And.Contain($"'{queueName}'").And.Contain("holds 1 messages"));
        Assert.That(await BrokerManagement.QueueTypeAsync(queueName), Is.EqualTo("classic"), "a queue with messages is never deleted");
    }
}
