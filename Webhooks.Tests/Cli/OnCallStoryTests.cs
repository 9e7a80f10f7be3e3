using Dapper;
using Npgsql;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// The on-call story end to end, on the real receiver, relay, broker and processor: the processor
/// fails for good on several events, on-call finds them in the dead-letter queue, fixes the cause
/// and replays them, and the orders end paid.
/// </summary>
public class OnCallStoryTests
{
    [Test]
    public async Task ProcessorFailsForGood_OnCallListsFixesAndReplays_OrdersEndPaid_DeadLetterQueueEmpty()
    {
        await using var receiver = new ReceiverFactory();
        var postgres = TestSchema.ConnectionString(TestEnvironment.Postgres, receiver.Schema);
        await using var processor = new ProcessorFactory(postgres, exchange: receiver.Exchange).Start();
        using var client = receiver.CreateClient();
        var cli = CliSettings.ForSchema(receiver.Schema, processor.QueueName, receiver.Exchange);
        var orders = new OrderQueries(postgres);
        var orderIds = Enumerable.Range(0, 3).Select(_ => $"order_oncall_{Guid.NewGuid():N}").ToList();

        // Three orders are created and pending.
        foreach (var orderId in orderIds)
        {
            await PostAsync(client, "payment_intent.created", orderId);
        }

        Assert.That(
            await Eventually.TrueAsync(async () => await CountAsync(orders, orderIds, "pending") == 3, TimeSpan.FromSeconds(30)),
            Is.True,
            "the orders are pending");

        // The processor's table is renamed under it: every payment that arrives now fails for good.
        await ExecuteAsync(postgres, "ALTER TABLE orders RENAME TO orders_moved_away");
        var paidEvents = new List<string>();
        foreach (var orderId in orderIds)
        {
            paidEvents.Add(await PostAsync(client, "payment_intent.succeeded", orderId));
        }

        Assert.That(await CliQueues.WaitForCountAsync(processor.ErrorQueueName, 3, TimeSpan.FromSeconds(60)), Is.EqualTo(3u), "all three are dead-lettered");

        // On call: what is in the dead-letter queue, and why?
        var listed = await CliRunner.RunAsync(cli, "dlq", "list", "--json");
        Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
        var deadLetters = listed.Json().EnumerateArray().ToList();
        Assert.That(deadLetters.Select(d => d.GetProperty("eventId").GetString()), Is.EquivalentTo(paidEvents));
        Assert.That(deadLetters.Select(d => d.GetProperty("reason").GetString()), Has.All.Contain("relation \"orders\" does not exist"));
        Assert.That(deadLetters.Select(d => d.GetProperty("type").GetString()), Has.All.EqualTo("payment_intent.succeeded"));
        var messageIds = deadLetters.Select(d => d.GetProperty("messageId").GetString()!).ToList();

        // The cause is fixed; the orders are still pending, and orders stuck names them.
        await ExecuteAsync(postgres, "ALTER TABLE orders_moved_away RENAME TO orders");
        var stuck = await CliRunner.RunAsync(cli, "orders", "stuck", "--older-than", "0s", "--json");
        Assert.That(stuck.ExitCode, Is.Zero, stuck.ToString());
        Assert.That(stuck.Json().EnumerateArray().Select(o => o.GetProperty("orderId").GetString()), Is.EquivalentTo(orderIds));

        // One first, to see it go through...
        var first = deadLetters[0];
        var one = await CliRunner.RunAsync(cli, "dlq", "replay", messageIds[0]);
        Assert.That(one.ExitCode, Is.Zero, one.ToString());
        var firstOrder = orderIds[paidEvents.IndexOf(first.GetProperty("eventId").GetString()!)];
        Assert.That(
            await Eventually.TrueAsync(async () => await orders.StatusAsync(firstOrder) == "paid", TimeSpan.FromSeconds(30)),
            Is.True,
            "the replayed payment is applied");
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.EqualTo(2u));

        // ...then the rest.
        var rest = await CliRunner.RunAsync(cli, "dlq", "replay", "--all");
        Assert.That(rest.ExitCode, Is.Zero, rest.ToString());
        Assert.That(rest.Stdout, Does.Contain("Replayed 2 messages"));

        Assert.That(
            await Eventually.TrueAsync(async () => await CountAsync(orders, orderIds, "paid") == 3, TimeSpan.FromSeconds(30)),
            Is.True,
            "every order ends paid");
        Assert.That(await CliQueues.CountAsync(processor.ErrorQueueName), Is.Zero, "the dead-letter queue is empty");
        var empty = await CliRunner.RunAsync(cli, "dlq", "list", "--json");
        Assert.That(empty.Json().GetArrayLength(), Is.Zero);
        var noneStuck = await CliRunner.RunAsync(cli, "orders", "stuck", "--older-than", "1s", "--json");
        Assert.That(noneStuck.Json().GetArrayLength(), Is.Zero);
        var audit = await CliSchema.Existing(receiver.Schema).AuditAsync();
        Assert.That(audit.Select(a => (a.Action, a.Succeeded)), Is.EqualTo(new[] { ("dlq replay", 1), ("dlq replay", 2) }));
    }

    private static async Task<string> PostAsync(HttpClient client, string type, string orderId)
    {
        var eventId = TestEvents.NewEventId();
        using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(eventId, type, orderId)));
        await HttpAssertions.ExpectAckAsync(response, "accepted", eventId);
        return eventId;
    }

    private static async Task<int> CountAsync(OrderQueries orders, IEnumerable<string> orderIds, string status)
    {
        var count = 0;
        foreach (var orderId in orderIds)
        {
            count += await orders.StatusAsync(orderId) == status ? 1 : 0;
        }

        return count;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql);
    }
}
