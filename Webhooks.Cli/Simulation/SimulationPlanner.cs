using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Decides a run from its seed: each order's lifecycle, amount and currency, which orders lose their
/// success events, which paid orders are disputed and how the dispute ends, the order each order's
/// events go out in, and which are sent twice. The same seed makes the same decisions; the ids are new
/// on every run, or a repeated run would be all duplicates.
/// </summary>
[SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Repeatable test traffic from a seed; nothing here is a secret.")]
internal static class SimulationPlanner
{
    public static SimulationPlan Build(SimulationSettings settings, int seed, StripeEventFactory events)
    {
        var random = new Random(seed);
        var run = NewId("")[..8];
        var orders = new List<SimulatedOrder>();
        var sequences = new List<IReadOnlyList<Delivery>>();
        var lostEvents = 0;
        for (var i = 1; i <= settings.Orders; i++)
        {
            var lost = settings.Lose > 0 && random.NextDouble() < settings.Lose;
            var lifecycle = Lifecycle.Pick(lost ? Lifecycle.Losable : Lifecycle.All, random);
            var payment = new SimulatedPayment(
                $"order_{run}_{i:D4}",
                NewId("pi_"),
                NewId("ch_"),
                NewId("re_"),
                NewId("cs_test_"),
                NewId("du_"),
                Amount: 500 + (random.Next(200) * 50),
                Currency: Currency(random));
            var dispute = !lost && lifecycle.Disputable && settings.Disputes > 0 && random.NextDouble() < settings.Disputes
                ? DisputeStory.All[random.Next(DisputeStory.All.Count)]
                : null;
            var order = new SimulatedOrder(payment, lifecycle, lost, dispute);
            orders.Add(order);

            var steps = lifecycle.Steps.Where(t => !lost || !SimulatedSteps.SuccessTypes.Contains(t.Type)).Concat(dispute?.Steps ?? []).ToList();
            lostEvents += lifecycle.Steps.Count - (steps.Count - (dispute?.Steps.Count ?? 0));
            if (settings.Shuffle)
            {
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(steps));
            }

            var originals = steps.Select(t => { var id = NewId("evt_"); return new Delivery(id, t.Type, payment.OrderId, events.Build(id, t, payment)); });
            sequences.Add(WithDuplicates(originals, settings.Duplicates, random));
        }

        for (var p = 0; p < settings.Poison; p++)
        {
            var id = NewId("evt_");
            var poison = new Delivery(id, SimulatedSteps.Succeeded.Type, null, events.Poison(id), IsPoison: true);
            // Somewhere among the orders, as a bad event arrives in ordinary traffic.
            sequences.Insert(random.Next(sequences.Count + 1), [poison]);
        }

        return new SimulationPlan(seed, orders, sequences, lostEvents);
    }

    /// <summary>Each event, and with probability <paramref name="share"/> a second copy of it somewhere after it.</summary>
    private static List<Delivery> WithDuplicates(IEnumerable<Delivery> originals, double share, Random random)
    {
        var sequence = originals.ToList();
        foreach (var original in sequence.ToList())
        {
            if (share > 0 && random.NextDouble() < share)
            {
                sequence.Insert(random.Next(sequence.IndexOf(original) + 1, sequence.Count + 1), original.Duplicate());
            }
        }

        return sequence;
    }

    /// <summary>Mostly dollars; some euros, and yen, which have no minor unit (amounts are whole yen).</summary>
    private static string Currency(Random random) => random.Next(10) switch
    {
        < 7 => "usd",
        < 9 => "eur",
        _ => "jpy",
    };

    // Stripe-like ids (a prefix and 24 characters), fresh on every run whatever the seed.
    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..24];
}
