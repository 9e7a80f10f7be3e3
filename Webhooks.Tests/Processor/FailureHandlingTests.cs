using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Processor.Orders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>The contract's "Failure handling (processor)": retries, the dead-letter queue and its Slack alerts, a database outage.</summary>
public class FailureHandlingTests
{
    private ProcessorSchema _schema = null!;
    private SlackListener _slack = null!;
    private OrderQueries _db = null!;

    [SetUp]
    public async Task CreateSchemaAndSlack()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _slack = await SlackListener.StartAsync();
        _db = new OrderQueries(_schema.ConnectionString);
    }

    [TearDown]
    public async Task DropSchemaAndSlack()
    {
        await _slack.DisposeAsync();
        await _schema.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> PoisonEvents()
    {
        yield return new TestCaseData("data.object is a string", (Func<string, Webhooks.Contracts.PaymentEventReceived>)(id =>
            TestPayments.WithDataObject("payment_intent.succeeded", JsonValue.Create("pi_123"), eventId: id)), "data.object");
        yield return new TestCaseData("data.object is missing", (Func<string, Webhooks.Contracts.PaymentEventReceived>)(id =>
            TestPayments.Message(id, "charge.refunded", "{\"id\":\"" + id + "\",\"type\":\"charge.refunded\",\"data\":{}}")), "data.object");
        yield return new TestCaseData("payload is not JSON", (Func<string, Webhooks.Contracts.PaymentEventReceived>)(id =>
            TestPayments.Message(id, "payment_intent.created", "{\"id\":\"" + id + "\",")), "not valid JSON");
    }

    [TestCaseSource(nameof(PoisonEvents))]
    public async Task PoisonEvent_IsDeadLetteredOnceWithItsReason_NotRetried_AndReachesSlack(
        string _, Func<string, Webhooks.Contracts.PaymentEventReceived> build, string reason)
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack()).Start();
        var message = build(TestEvents.NewEventId());

        await processor.PublishAsync(message);

        Assert.That(await WaitForCountAsync(processor.ErrorQueueName, 1, TimeSpan.FromSeconds(20)), Is.EqualTo(1), "the message is in the dead-letter queue");
        var post = await _slack.WaitForPostAsync(p => p.Names(message.EventId), TimeSpan.FromSeconds(20));
        Assert.That(post, Is.Not.Null, "Slack heard of it");
        Assert.That(post!.Text, Does.Contain("1 event was dead-lettered to " + processor.ErrorQueueName));
        Assert.That(post.Content, Does.Contain("./webhooks dlq list"));

        var deadLettered = (await BrokerEntities.DrainAsync(processor.ErrorQueueName)).Single();
        var headers = deadLettered.Properties.Headers!;
        Assert.Multiple(() =>
        {
            Assert.That(Header(headers, "MT-Fault-ExceptionType"), Does.EndWith("PermanentEventException"));
            Assert.That(Header(headers, "MT-Fault-Message"), Does.Contain(reason));
            Assert.That(
                headers.ContainsKey("MT-Fault-RetryCount") ? Header(headers, "MT-Fault-RetryCount") : "0",
                Is.EqualTo("0"),
                "a permanent failure is not retried");
            Assert.That(deadLettered.Body, Does.Contain(message.EventId));
        });
        Assert.That(await _db.OutcomeAsync(message.EventId), Is.Null, "nothing was recorded as processed");
        Assert.That(await _db.DeadLetterAlertCountAsync(message.EventId), Is.EqualTo(1), "one alert per dead-lettered message");
        Assert.That(processor.Logs.Lines.Where(l => l.Contains(_slack.SecretToken, StringComparison.Ordinal)), Is.Empty, "the Slack URL is a secret");
    }

    [Test]
    public async Task EventTheDatabaseRejects_AmongOthersInTheSameCommits_IsDeadLetteredAlone_TheOthersAreApplied()
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack()).Start();
        await EventRejection.CreateAsync(_schema.ConnectionString, "evt_rejected_", PostgresErrorCodes.CheckViolation, atCommit: false);
        var orders = Enumerable.Range(0, 40).Select(_ => TestPayments.NewOrderId()).ToList();
        var good = orders.Select(o => TestPayments.Event("payment_intent.succeeded", o)).ToList();
        var rejected = TestPayments.Event("charge.refunded", orders[20], eventId: "evt_rejected_" + Guid.NewGuid().ToString("N"));

        await Task.WhenAll(good.Take(20).Append(rejected).Concat(good.Skip(20)).Select(m => processor.PublishAsync(m)));

        Assert.That(await WaitForCountAsync(processor.ErrorQueueName, 1, TimeSpan.FromSeconds(20)), Is.EqualTo(1));
        Assert.That(
            await Eventually.TrueAsync(async () => await _db.ProcessedCountAsync(good.Select(m => m.EventId)) == good.Count, TimeSpan.FromSeconds(20)),
            Is.True);
        var deadLettered = (await BrokerEntities.DrainAsync(processor.ErrorQueueName)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(deadLettered.Body, Does.Contain(rejected.EventId));
            Assert.That(Header(deadLettered.Properties.Headers!, "MT-Fault-ExceptionType"), Does.EndWith("PostgresException"));
        });
        Assert.That(await _db.OutcomeAsync(rejected.EventId), Is.Null);
        Assert.That(await _db.StatusAsync(orders[20]), Is.EqualTo("paid"), "the rejected refund left nothing behind");
    }

    [Test]
    public async Task UnknownEventType_EvenWithAnUnreadablePayload_IsIgnored_NotDeadLettered_NoSlackPost()
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack()).Start();
        var message = TestPayments.Message(TestEvents.NewEventId(), "invoice.paid", "[\"not\", \"an\", \"object\"]");

        await processor.PublishAsync(message);

        Assert.That(await _db.WaitForOutcomeAsync(message.EventId), Is.EqualTo("ignored"));
        // A poison event after it: once its alert is posted, an alert about the first would have been too.
        var poison = TestPayments.WithDataObject("payment_intent.succeeded", JsonValue.Create("pi_123"));
        await processor.PublishAsync(poison);
        Assert.That(await _slack.WaitForPostAsync(p => p.Names(poison.EventId), TimeSpan.FromSeconds(20)), Is.Not.Null);
        Assert.That(await BrokerEntities.CountAsync(processor.ErrorQueueName), Is.EqualTo(1), "the poison event alone");
        Assert.That(_slack.Requests.Where(p => p.Names(message.EventId)), Is.Empty);
    }

    [Test]
    public async Task BurstOfPoisonEvents_ReachesSlackAsAFewGroupedPostsWithCounts()
    {
        const int burst = 300;
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack()).Start();
        var messages = Enumerable.Range(0, burst)
            .Select(_ => TestPayments.WithDataObject("charge.succeeded", new JsonArray(1, 2, 3)))
            .ToList();

        await Task.WhenAll(messages.Select(m => processor.PublishAsync(m)));

        Assert.That(await WaitForCountAsync(processor.ErrorQueueName, burst, TimeSpan.FromSeconds(60)), Is.EqualTo(burst));
        var allPosted = await Eventually.TrueAsync(
            () => Task.FromResult(_slack.Accepted.Sum(p => DeadLetteredCount(p.Text)) >= burst), TimeSpan.FromSeconds(30));
        Assert.That(allPosted, Is.True, "the posts' counts add up to every dead-lettered message");
        Assert.That(_slack.Accepted.Sum(p => DeadLetteredCount(p.Text)), Is.EqualTo(burst), "no message counted twice");
        Assert.That(_slack.Accepted.Count, Is.LessThanOrEqualTo(20), "grouped: a few posts, not one per message");
        TestContext.Out.WriteLine($"{burst} dead-lettered messages made {_slack.Accepted.Count} Slack posts");
    }

    [Test]
    public async Task DeadLetterAlert_SlackDown_StaysDueAndGoesOutWhenSlackIsBack()
    {
        _slack.AnswerWith(HttpStatusCode.InternalServerError);
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack()).Start();
        var message = TestPayments.WithDataObject("payment_intent.canceled", JsonValue.Create(42));

        await processor.PublishAsync(message);

        var tried = await Eventually.TrueAsync(() => Task.FromResult(_slack.Requests.Count(p => p.Names(message.EventId)) >= 3), TimeSpan.FromSeconds(20));
        Assert.That(tried, Is.True, "the alert was tried (and retried) while Slack answered 500");
        Assert.That(_slack.Accepted, Is.Empty);

        _slack.AnswerWith(HttpStatusCode.OK);

        Assert.That(await _slack.WaitForPostAsync(p => p.Names(message.EventId), TimeSpan.FromSeconds(20)), Is.Not.Null);
    }

    [Test]
    public async Task TransientFailure_IsRetriedInProcess_ThenApplied()
    {
        FlakyOrderEventApplier? flaky = null;
        await using var processor = new ProcessorFactory(_schema.ConnectionString, Slack(), services: services =>
            services.AddSingleton<IOrderEventApplier>(sp => flaky = new FlakyOrderEventApplier(
                sp.GetRequiredService<GroupCommitOrderApplier>(),
                failures: 2,
                () => new TimeoutException("The database did not answer in time (test)")))).Start();
        var orderId = TestPayments.NewOrderId();
        var message = TestPayments.Event("payment_intent.succeeded", orderId);

        await processor.PublishAsync(message);

        Assert.That(await _db.WaitForOutcomeAsync(message.EventId), Is.EqualTo("applied"));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"));
        Assert.That(flaky!.AttemptsFor(message.EventId), Is.EqualTo(3), "two failed attempts, then the one that worked");
        Assert.That(
            processor.Logs.Lines.Any(l => l.Contains(message.EventId, StringComparison.Ordinal)
                && l.Contains("after 2 in-process retries", StringComparison.Ordinal)),
            Is.True);
        Assert.That(await BrokerEntities.CountAsync(processor.ErrorQueueName), Is.Zero);
    }

    [Test]
    public async Task DatabaseRefusedLongerThanTheRetryBudget_NothingIsDeadLettered_NothingAlerted_EveryOrderEndsRight()
    {
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        var settings = Slack();
        settings["Processor:RetryBudget"] = "00:00:02";
        settings["Processor:PauseAfterFailures"] = "00:00:02";
        settings["Logging:LogLevel:MassTransit"] = "Information";
        await using var processor = new ProcessorFactory(_schema.ConnectionStringVia("127.0.0.1", proxy.Port), settings).Start();
        var orders = Enumerable.Range(0, 40).Select(_ => TestPayments.NewOrderId()).ToList();
        var before = orders.Take(10).Select(id => TestPayments.Event("payment_intent.created", id)).ToList();
        await Task.WhenAll(before.Select(m => processor.PublishAsync(m)));
        Assert.That(
            await Eventually.TrueAsync(async () => await _db.ProcessedCountAsync(before.Select(m => m.EventId)) == before.Count, TimeSpan.FromSeconds(20)),
            Is.True);

        proxy.Refuse();
        var during = orders.Take(10).Select(id => TestPayments.Event("payment_intent.succeeded", id))
            .Concat(orders.Skip(10).Select(id => TestPayments.Event("payment_intent.created", id)))
            .ToList();
        await Task.WhenAll(during.Select(m => processor.PublishAsync(m)));
        // Every message in flight has used up its budget and gone back to the queue at least once,
        // some of them several times, and the kill switch has paused consumption in between.
        var requeued = await Eventually.TrueAsync(() => Task.FromResult(RequeueCount(processor) >= during.Count + 10), TimeSpan.FromSeconds(90));
        var paused = processor.Logs.Lines.Count(l => l.Contains("Kill Switch stopped endpoint", StringComparison.Ordinal));
        TestContext.Out.WriteLine($"went back to the queue {RequeueCount(processor)} times during the outage; consumption paused {paused} times");
        Assert.That(requeued, Is.True, "the outage outlasted the retry budget of every message, several times over");
        Assert.That(paused, Is.GreaterThan(0), "the kill switch paused consumption while the failures went on");
        Assert.That(await BrokerEntities.CountAsync(processor.ErrorQueueName), Is.Zero, "nothing is dead-lettered during the outage");

        proxy.Forward();
        var processed = await Eventually.TrueAsync(
            async () => await _db.ProcessedCountAsync(during.Select(m => m.EventId)) == during.Count, TimeSpan.FromSeconds(60));

        Assert.That(processed, Is.True, "every event published during the outage was processed after it");
        Assert.That(await BrokerEntities.CountAsync(processor.ErrorQueueName), Is.Zero);
        Assert.That(await BrokerEntities.CountAsync(processor.QueueName + "-dead-letter-alerts_error"), Is.Zero);
        Assert.That(await _db.DeadLetterAlertCountAsync(), Is.Zero, "the faults of messages that went back to the queue are not dead letters");
        Assert.That(_slack.Requests.Where(p => during.Any(m => p.Names(m.EventId))), Is.Empty);
        foreach (var orderId in orders.Take(10))
        {
            Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"), orderId);
        }

        foreach (var orderId in orders.Skip(10))
        {
            Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("pending"), orderId);
        }
    }

    [TestCase("00:00:00")]
    [TestCase("02:00:00")]
    [TestCase("banana")]
    public void RetryBudgetOutOfRange_StopsTheProcessAtStart_NamingTheSetting(string budget)
    {
        var settings = Slack();
        settings["Processor:RetryBudget"] = budget;
        var failure = Assert.Catch(() => new ProcessorFactory(_schema.ConnectionString, settings).Start());
        Assert.That(failure!.ToString(), Does.Contain("RetryBudget"));
    }

    private static int RequeueCount(ProcessorFactory processor) =>
        processor.Logs.Lines.Count(l => l.Contains("went back to queue", StringComparison.Ordinal));

    private Dictionary<string, string?> Slack() => new() { ["Slack:WebhookUrl"] = _slack.Url };

    private static async Task<uint> WaitForCountAsync(string queue, uint expected, TimeSpan timeout)
    {
        uint count = 0;
        await Eventually.TrueAsync(async () => (count = await BrokerEntities.CountAsync(queue)) >= expected, timeout);
        return count;
    }

    private static int DeadLetteredCount(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"(\d+) events? (was|were) dead-lettered");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static string Header(IDictionary<string, object?> headers, string name) => headers[name] switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        var value => value?.ToString() ?? "",
    };
}
