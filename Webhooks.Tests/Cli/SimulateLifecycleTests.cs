using Microsoft.Extensions.Time.Testing;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// <c>simulate</c> as the gateway in front of the real receiver, relay, broker and processor (one
/// schema and exchange per test): the orders end as their lifecycles say, and lost success events
/// leave orders pending until the stuck-order alert names them.
/// </summary>
public class SimulateLifecycleTests
{
    private static readonly string[] SuccessTypes = ["payment_intent.succeeded", "charge.succeeded", "checkout.session.completed"];

    // A seed whose 40 orders end in every status but pending, with disputes open, won and lost
    // (SimulationPlannerTests.TheSeedTheLifecycleTestUses_EndsInEveryStatusAndDisputeState holds it to that).
    public const string SeedWithEveryEnd = "3";

    [Test]
    public async Task Lifecycles_WithDuplicatesShuffledEventsAndDisputes_EveryOrderEndsAsItsLifecycleSays_AndThePoisonIsDeadLettered()
    {
        await using var receiver = new ReceiverFactory();
        var postgres = TestSchema.ConnectionString(TestEnvironment.Postgres, receiver.Schema);
        await using var processor = new ProcessorFactory(postgres, exchange: receiver.Exchange).Start();
        var cli = CliSettings.ForSchema(receiver.Schema, processor.QueueName, receiver.Exchange);
        var db = new SimulatedOrders(postgres);

        var result = await CliRunner.RunWithHttpAsync(cli, receiver.Server.CreateHandler(),
            "simulate", "--orders", "40", "--duplicates", "0.5", "--disputes", "0.6", "--poison", "1", "--seed", SeedWithEveryEnd,
            "--rate", "0", "--concurrency", "4", "--secret", ReceiverFactory.StripeSecret, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var summary = result.Json();
        var expected = summary.ExpectedStatuses();
        var disputes = summary.ExpectedDisputes();
        Assert.That(expected, Has.Count.EqualTo(40));
        Assert.That(expected.Values.Distinct(), Is.SupersetOf(new[] { "paid", "payment_failed", "canceled", "partially_refunded", "refunded" }),
            "this seed's run ends in every status but pending");
        Assert.That(disputes.Values.Distinct(), Is.EquivalentTo(new[] { "open", "won", "lost" }), "and its disputes in every state");
        Assert.That(expected.Values, Has.None.EqualTo("pending"), "nothing was lost on purpose");
        Assert.That(summary.Count("duplicatesSent"), Is.GreaterThan(0));
        Assert.That(summary.Count("givenUp"), Is.Zero);

        var seen = await db.WaitForAsync(expected, TimeSpan.FromSeconds(60));
        Assert.That(seen, Is.EquivalentTo(expected), "every order ends in its lifecycle's status");
        var settled = await Eventually.TrueAsync(
            async () => (await db.DisputesAsync()).OrderBy(d => d.Key).SequenceEqual(disputes.OrderBy(d => d.Key)) && await db.WaitingEventCountAsync() == 0,
            TimeSpan.FromSeconds(30));
        Assert.That(await db.DisputesAsync(), Is.EquivalentTo(disputes), "every disputed order's dispute ends as its story says, and no other order has one");
        Assert.That(settled, Is.True);
        var amounts = await db.AmountsAsync();
        Assert.That(summary.ExpectedAmounts().Where(e => amounts.GetValueOrDefault(e.Key) != e.Value), Is.Empty,
            "amounts, currencies and refunds, to the minor unit");
        Assert.That(await db.WaitingEventCountAsync(), Is.Zero, "every charge and dispute found its order through its payment intent");

        var stored = await db.StoredTypesByOrderAsync();
        Assert.That(stored.Keys, Is.EquivalentTo(expected.Keys));
        Assert.That(stored.Values.Count(types => types[0] != "payment_intent.created"), Is.GreaterThan(0),
            "with shuffling, some orders' events reached the receiver before their payment_intent.created");
        Assert.That(stored.Values.Sum(t => t.Count) + 1, Is.EqualTo(summary.Count("events")), "each event stored once, the poison included");
        Assert.That(
            await CliQueues.WaitForCountAsync(processor.ErrorQueueName, 1, TimeSpan.FromSeconds(30)),
            Is.EqualTo(1u),
            "the poison event is dead-lettered");
    }

    [Test]
    public async Task LostSuccessEvents_LeaveThoseOrdersPending_AndTheStuckOrderAlertNamesExactlyThem()
    {
        await using var slack = await SlackListener.StartAsync();
        // The processor's clock is a fake one that starts now: the scan runs when the test moves it.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var receiver = new ReceiverFactory();
        var postgres = TestSchema.ConnectionString(TestEnvironment.Postgres, receiver.Schema);
        await using var processor = new ProcessorFactory(
            postgres,
            new Dictionary<string, string?>
            {
                ["Slack:WebhookUrl"] = slack.Url,
                ["StuckOrders:PendingThreshold"] = "00:15:00",
                ["StuckOrders:ScanInterval"] = "00:01:00",
            },
            clock: clock,
            exchange: receiver.Exchange).Start();
        var cli = CliSettings.ForSchema(receiver.Schema, processor.QueueName, receiver.Exchange);
        var db = new SimulatedOrders(postgres);

        var result = await CliRunner.RunWithHttpAsync(cli, receiver.Server.CreateHandler(),
            "simulate", "--orders", "20", "--lose", "0.3", "--duplicates", "0.2", "--seed", "5",
            "--rate", "0", "--secret", ReceiverFactory.StripeSecret, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var summary = result.Json();
        var expected = summary.ExpectedStatuses();
        var lost = summary.Strings("pendingOrderIds");
        Assert.That(lost, Is.Not.Empty.And.Count.LessThan(20), "some orders, not all, lost their success events");
        Assert.That(lost, Is.EquivalentTo(expected.Where(e => e.Value == "pending").Select(e => e.Key)));
        Assert.That(
            summary.Count("lostEvents"),
            Is.GreaterThanOrEqualTo(2 * lost.Count),
            "each lost order misses payment_intent.succeeded and charge.succeeded at least");

        Assert.That(await db.WaitForAsync(expected, TimeSpan.FromSeconds(45)), Is.EquivalentTo(expected));
        var stored = await db.StoredTypesByOrderAsync();
        Assert.That(lost.SelectMany(id => stored[id]), Has.None.AnyOf(SuccessTypes), "no success event of a lost order reached the receiver");

        // On call would see them with orders stuck...
        var stuck = await CliRunner.RunAsync(cli, "orders", "stuck", "--older-than", "0s", "--json");
        Assert.That(stuck.ExitCode, Is.Zero, stuck.ToString());
        Assert.That(stuck.Json().EnumerateArray().Select(o => o.GetProperty("orderId").GetString()), Is.EquivalentTo(lost));

        // ...and Slack hears of them once they have been pending past the threshold.
        clock.Advance(TimeSpan.FromMinutes(16));
        var post = await slack.WaitForPostAsync(p => p.Text.Contains("pending for longer than 15m", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.That(post, Is.Not.Null, "a stuck-order alert was posted");
        Assert.That(post!.Text, Does.Contain($"{lost.Count} orders have been pending"));
        Assert.That(lost.Where(id => !post.Names(id)), Is.Empty, "the alert names every order that lost its success events");
        Assert.That(expected.Keys.Except(lost).Where(post.Names), Is.Empty, "and no other order");
    }
}
