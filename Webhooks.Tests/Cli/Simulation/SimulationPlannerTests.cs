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

    private static List<string> Shape(SimulationPlan plan) =>
        [.. plan.Sequences.Select(s => string.Join(",", s.Select(d => $"{d.Type}{(d.IsDuplicate ? "*" : "")}{(d.IsPoison ? "!" : "")}"))),
         .. plan.Orders.Select(o => $"{o.Lifecycle.Name}/{o.Lost}/{o.Payment.Amount}")];
}
