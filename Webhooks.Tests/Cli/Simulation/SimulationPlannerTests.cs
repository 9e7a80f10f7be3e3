using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Cli.Simulation;

namespace Webhooks.Tests.Cli.Simulation;

/// <summary>What a run will send, decided from its seed before the first request.</summary>
public class SimulationPlannerTests
{
    private static readonly StripeEventFactory Events = new(new FakeTimeProvider(), idField: null);

    [Test]
    public void SameSeed_SameChoices_FreshIds()
    {
        var settings = new SimulationSettings { Orders = 40, Duplicates = 0.3, Lose = 0.2, Poison = 2 };

        var one = SimulationPlanner.Build(settings, 42, Events);
        var two = SimulationPlanner.Build(settings, 42, Events);
        var other = SimulationPlanner.Build(settings, 43, Events);

        Assert.That(Shape(two), Is.EqualTo(Shape(one)), "lifecycles, order of events, copies and losses repeat");
        Assert.That(Shape(other), Is.Not.EqualTo(Shape(one)));
        Assert.That(two.Deliveries.Select(d => d.EventId).Intersect(one.Deliveries.Select(d => d.EventId)), Is.Empty, "a second run is not all duplicates");
        Assert.That(two.Orders.Select(o => o.OrderId).Intersect(one.Orders.Select(o => o.OrderId)), Is.Empty);
    }

    [Test]
    public void EveryCopyComesAfterItsOriginal_InItsOrdersSequence()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 50, Duplicates = 0.5 }, 7, Events);

        Assert.That(plan.DuplicatesSent, Is.GreaterThan(0));
        foreach (var sequence in plan.Sequences)
        {
            foreach (var (copy, index) in sequence.Select((d, i) => (d, i)).Where(x => x.d.IsDuplicate))
            {
                var original = sequence.ToList().FindIndex(d => d.EventId == copy.EventId && !d.IsDuplicate);
                Assert.That(original, Is.InRange(0, index - 1), $"copy of {copy.EventId}");
                Assert.That(copy.Body, Is.SameAs(sequence[original].Body), "a copy has the same bytes");
            }
        }
    }

    [Test]
    public void Lose_ThatShareOfOrdersMissesEverySuccessEvent_AndIsExpectedPending()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 400, Lose = 0.25, Duplicates = 0 }, 1, Events);

        var lost = plan.Orders.Where(o => o.Lost).ToList();
        Assert.That(lost.Count, Is.InRange(70, 130), "about a quarter of 400");
        Assert.That(lost.Select(o => o.ExpectedStatus), Has.All.EqualTo("pending"));
        var typesByOrder = plan.Deliveries.GroupBy(d => d.OrderId!).ToDictionary(g => g.Key, g => g.Select(d => d.Type).ToList());
        foreach (var order in lost)
        {
            Assert.That(typesByOrder[order.OrderId], Is.EqualTo(new[] { "payment_intent.created" }), order.Lifecycle.Name);
        }

        Assert.That(plan.LostEvents, Is.EqualTo(lost.Sum(o => o.Lifecycle.Types.Count - 1)));
        Assert.That(plan.Orders.Where(o => !o.Lost).Select(o => o.ExpectedStatus), Has.None.EqualTo("pending"));
    }

    [Test]
    public void ShuffleFalse_SendsEachLifecycleInOrder()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 30, Shuffle = false, Duplicates = 0 }, 9, Events);

        foreach (var order in plan.Orders)
        {
            Assert.That(plan.Deliveries.Where(d => d.OrderId == order.OrderId).Select(d => d.Type), Is.EqualTo(order.Lifecycle.Types));
        }
    }

    [Test]
    public void Disputes_ThatShareOfThePaidOrdersIsDisputed_EndingOpenWonOrLost()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 400, Disputes = 0.5, Duplicates = 0 }, 11, Events);

        var disputed = plan.Orders.Where(o => o.Dispute is not null).ToList();
        var paid = plan.Orders.Count(o => o.ExpectedStatus == "paid");
        Assert.That(disputed.Count, Is.InRange(paid * 0.35, paid * 0.65), "about half of the paid orders");
        Assert.That(disputed.Select(o => o.ExpectedStatus), Has.All.EqualTo("paid"), "only paid orders are disputed");
        Assert.That(disputed.Select(o => o.ExpectedDispute).Distinct(), Is.EquivalentTo(new[] { "open", "won", "lost" }));
        foreach (var order in disputed)
        {
            var types = plan.Deliveries.Where(d => d.OrderId == order.OrderId).Select(d => d.Type).ToList();
            Assert.That(types, Is.SupersetOf(order.Dispute!.Steps.Select(s => s.Type)), order.OrderId);
            Assert.That(types.Contains("charge.dispute.closed"), Is.EqualTo(order.ExpectedDispute != "open"), order.OrderId);
        }

        var undisputed = SimulationPlanner.Build(new SimulationSettings { Orders = 400, Duplicates = 0 }, 11, Events);
        Assert.That(undisputed.Orders.Where(o => o.Dispute is not null), Is.Empty, "none without --disputes");
    }

    [Test]
    public void ChargesAndDisputes_NameTheirPaymentIntent_AndCarryNoOrderMetadata_AsRealStripeTraffic()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 200, Disputes = 0.5, Duplicates = 0 }, 5, Events);

        var byOrder = plan.Orders.ToDictionary(o => o.OrderId);
        var checkedEvents = 0;
        foreach (var delivery in plan.Deliveries.Where(d => d.Type.StartsWith("charge.", StringComparison.Ordinal)))
        {
            var payment = byOrder[delivery.OrderId!].Payment;
            var dataObject = JsonNode.Parse(delivery.Body)!["data"]!["object"]!;
            Assert.That(dataObject["metadata"]?["order_id"], Is.Null, delivery.Type);
            Assert.That(dataObject["payment_intent"]!.GetValue<string>(), Is.EqualTo(payment.PaymentIntentId), delivery.Type);
            Assert.That(dataObject["amount"]!.GetValue<long>(), Is.EqualTo(payment.Amount), delivery.Type);
            Assert.That(dataObject["currency"]!.GetValue<string>(), Is.EqualTo(payment.Currency), delivery.Type);
            checkedEvents++;
        }

        Assert.That(checkedEvents, Is.GreaterThan(100));
        Assert.That(plan.Orders.Select(o => o.Payment.Currency).Distinct(), Is.SupersetOf(new[] { "usd", "jpy" }));
    }

    [Test]
    public void PartialRefunds_RefundLessThanTheAmount_AndTheRestFollowsInTheTwoPartLifecycle()
    {
        var plan = SimulationPlanner.Build(new SimulationSettings { Orders = 400, Duplicates = 0 }, 8, Events);

        var partial = plan.Orders.Where(o => o.Lifecycle == Lifecycle.PartiallyRefunded).ToList();
        var twoParts = plan.Orders.Where(o => o.Lifecycle == Lifecycle.RefundedInTwoParts).ToList();
        Assert.That(partial, Is.Not.Empty);
        Assert.That(twoParts, Is.Not.Empty);
        foreach (var order in partial.Concat(twoParts))
        {
            var refunds = plan.Deliveries.Where(d => d.OrderId == order.OrderId && d.Type == "charge.refunded")
                .Select(d => JsonNode.Parse(d.Body)!["data"]!["object"]!["amount_refunded"]!.GetValue<long>())
                .Order()
                .ToList();
            var expected = order.Lifecycle == Lifecycle.PartiallyRefunded
                ? new[] { order.Payment.PartialRefund }
                : new[] { order.Payment.PartialRefund, order.Payment.Amount };
            Assert.That(refunds, Is.EqualTo(expected), order.OrderId);
            Assert.That(order.Payment.PartialRefund, Is.InRange(1, order.Payment.Amount - 1));
            Assert.That(order.ExpectedAmountRefunded, Is.EqualTo(refunds[^1]));
        }

        Assert.That(partial.Select(o => o.ExpectedStatus), Has.All.EqualTo("partially_refunded"));
        Assert.That(twoParts.Select(o => o.ExpectedStatus), Has.All.EqualTo("refunded"));
    }

    [Test]
    public void TheSeedTheLifecycleTestUses_EndsInEveryStatusAndDisputeState()
    {
        var settings = new SimulationSettings { Orders = 40, Duplicates = 0.5, Disputes = 0.6, Poison = 1 };

        var plan = SimulationPlanner.Build(settings, int.Parse(SimulateLifecycleTests.SeedWithEveryEnd, CultureInfo.InvariantCulture), Events);

        Assert.That(plan.Orders.Select(o => o.ExpectedStatus).Distinct(),
            Is.EquivalentTo(new[] { "paid", "payment_failed", "canceled", "partially_refunded", "refunded" }));
        Assert.That(plan.Orders.Select(o => o.ExpectedDispute).Distinct(), Is.EquivalentTo(new[] { null, "open", "won", "lost" }));
    }

    private static List<string> Shape(SimulationPlan plan) =>
        [.. plan.Sequences.Select(s => string.Join(",", s.Select(d => $"{d.Type}{(d.IsDuplicate ? "*" : "")}{(d.IsPoison ? "!" : "")}"))),
         .. plan.Orders.Select(o => $"{o.Lifecycle.Name}/{o.Lost}/{o.Payment.Amount}/{o.Payment.Currency}/{o.ExpectedDispute}")];
}
