using System.Text.Json.Nodes;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// <c>orders show</c>: one order's story, after the real processor applied (or refused) its events: status,
/// amounts, dispute, every stored event that names it with its state, and the alerts sent about it.
/// </summary>
public class OrdersShowTests
{
    private static readonly string[] Fields = ["orderId", "status", "amount", "currency", "amountRefunded", "dispute", "events"];
    private static readonly string[] DisputeFields = ["status", "amount", "currency", "reason", "dueBy"];
    private static readonly string[] EventFields = ["provider", "eventId", "type", "receivedAt", "state"];

    [Test]
    public async Task Show_Json_HasTheContractsFields_AndEveryEventThatNamesTheOrder_WithItsState()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var slack = await SlackListener.StartAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString, new Dictionary<string, string?> { ["Slack:WebhookUrl"] = slack.Url }).Start();
        var db = new OrderQueries(schema.ConnectionString);
        var payment = TestPayment.New(amount: 1250, currency: "eur");
        var t = TimeProvider.System.GetUtcNow().AddMinutes(-30);
        var created = await ApplyAsync(processor, schema, payment.Intent("payment_intent.created", receivedAt: t), db, "applied");
        var succeeded = await ApplyAsync(processor, schema, payment.Intent("payment_intent.succeeded", receivedAt: t.AddMinutes(1)), db, "applied");
        // Late and lower in rank: changes nothing.
        var late = await ApplyAsync(processor, schema, payment.Intent("payment_intent.created", receivedAt: t.AddMinutes(2)), db, "unchanged");
        var ignored = await ApplyAsync(processor, schema, payment.Intent("payment_intent.requires_action", receivedAt: t.AddMinutes(3)), db, "ignored");
        var disputeOpened = payment.Dispute("charge.dispute.created", "needs_response", receivedAt: t.AddMinutes(4));
        var dispute = await ApplyAsync(processor, schema, disputeOpened, db, "applied");
        // Stored, never given to the processor: waiting.
        var queued = await StoredEvents.StoreAsync(schema.ConnectionString, payment.Charge("charge.refunded", refunded: 1250, receivedAt: t.AddMinutes(5)));
        // Given to the processor unreadable: dead-lettered.
        var poison = await StoredEvents.StoreAsync(schema.ConnectionString, payment.Charge("charge.refunded", refunded: 500, receivedAt: t.AddMinutes(6)));
        var unreadable = TestPayments.WithDataObject("charge.refunded", JsonValue.Create(7), eventId: poison.EventId).Payload;
        await processor.PublishAsync(poison with { Payload = unreadable });
        Assert.That(await Eventually.TrueAsync(async () => await db.DeadLetterAlertCountAsync(poison.EventId) > 0, TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(await slack.WaitForPostAsync(p => p.Text.Contains("Dispute opened", StringComparison.Ordinal), TimeSpan.FromSeconds(20)), Is.Not.Null);
        var settings = CliSettings.ForSchema(schema.Name);

        var result = await CliRunner.RunAsync(settings, "orders", "show", payment.OrderId, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Is.Empty);
        var order = result.Json();
        Assert.That(order.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Fields));
        Assert.Multiple(() =>
        {
            Assert.That(order.GetProperty("orderId").GetString(), Is.EqualTo(payment.OrderId));
            Assert.That(order.GetProperty("status").GetString(), Is.EqualTo("paid"));
            Assert.That(order.GetProperty("amount").GetInt64(), Is.EqualTo(1250));
            Assert.That(order.GetProperty("currency").GetString(), Is.EqualTo("eur"));
            Assert.That(order.GetProperty("amountRefunded").GetInt64(), Is.Zero);
            var disputed = order.GetProperty("dispute");
            Assert.That(disputed.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(DisputeFields));
            Assert.That(disputed.GetProperty("status").GetString(), Is.EqualTo("open"));
            Assert.That(disputed.GetProperty("amount").GetInt64(), Is.EqualTo(1250));
            Assert.That(disputed.GetProperty("reason").GetString(), Is.EqualTo("fraudulent"));
            Assert.That(disputed.GetProperty("dueBy").GetDateTimeOffset(), Is.EqualTo(TestPayment.Made.AddDays(10)));
        });
        var events = order.GetProperty("events").EnumerateArray().ToList();
        Assert.That(events[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(EventFields));
        Assert.That(events.Select(e => (e.GetProperty("eventId").GetString(), e.GetProperty("state").GetString())), Is.EqualTo(new[]
        {
            (created.EventId, "applied"),
            (succeeded.EventId, "applied"),
            (late.EventId, "unchanged"),
            (ignored.EventId, "ignored"),
            (dispute.EventId, "applied"),
            (queued.EventId, "waiting"),
            (poison.EventId, "dead-lettered"),
        }), "oldest first; the dispute and the charges found through the payment intent");
        Assert.That(events[2].GetProperty("receivedAt").GetDateTimeOffset(), Is.EqualTo(t.AddMinutes(2)).Within(TimeSpan.FromMilliseconds(1)));

        var table = await CliProcess.RunAsync(settings, "orders", "show", payment.OrderId);

        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.Stdout, Does.Contain("paid").And.Contain("EUR 12.50").And.Contain("open").And.Contain("fraudulent"));
        Assert.That(table.Stdout, Does.Contain("dead-lettered").And.Contain("./webhooks dlq replay "));
        Assert.That(table.Stdout, Does.Contain("waiting (queued)"));
        Assert.That(table.Stdout, Does.Contain("dispute opened"), "the alerts sent about it");
    }

    [Test]
    public async Task Show_APendingOrder_SaysItsDiagnosis()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var payment = TestPayment.New();
        var since = TimeProvider.System.GetUtcNow().AddHours(-1);
        await schema.ExecuteAsync(
            """
            INSERT INTO orders (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            VALUES (@orderId, 'pending', @since, @since, @since, 'stripe', 'evt_x', 'payment_intent.created')
            """,
            new { orderId = payment.OrderId, since });

        var result = await CliRunner.RunAsync(schema.Settings(), "orders", "show", payment.OrderId);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Diagnosis").And.Contain("unknown: nothing for it is queued or dead-lettered"));
        Assert.That(result.Stdout, Does.Contain("no stored event names it"));
    }

    [Test]
    public async Task Show_AnUnknownOrder_FailsInOneSentence()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();

        var result = await CliRunner.RunAsync(schema.Settings(), "orders", "show", "order_nobody_knows", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("No order order_nobody_knows is known"));
    }

    private static async Task<Webhooks.Contracts.PaymentEventReceived> ApplyAsync(
        ProcessorFactory processor, ProcessorSchema schema, Webhooks.Contracts.PaymentEventReceived message, OrderQueries db, string outcome)
    {
        var stored = await StoredEvents.StoreAsync(schema.ConnectionString, message);
        await processor.PublishAsync(stored);
        Assert.That(await db.WaitForOutcomeAsync(stored.EventId), Is.EqualTo(outcome), message.EventType);
        return stored;
    }
}
