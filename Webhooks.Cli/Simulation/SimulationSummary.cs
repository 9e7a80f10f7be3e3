namespace Webhooks.Cli.Simulation;

/// <summary>
/// The end of a run, as <c>--json</c> prints it and the table shows it. Deliveries: <see cref="Sent"/>
/// counts each delivery once however often it was tried (<see cref="Requests"/> counts attempts);
/// <see cref="Accepted"/> and <see cref="Duplicates"/> are the receiver's final answers;
/// <see cref="Retried"/> deliveries needed more than one attempt; <see cref="GivenUp"/> never got a 2xx.
/// Orders: the status each should end in, and its dispute, so that a look at the orders table (or
/// <c>./webhooks orders stuck</c>) can be compared with it.
/// </summary>
internal sealed record SimulationSummary
{
    /// <summary>The statuses in rank order, so that the counts read as the lifecycle does.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["pending", "payment_failed", "canceled", "paid", "partially_refunded", "refunded"];

    public required string Url { get; init; }

    public required string Provider { get; init; }

    public required string Scheme { get; init; }

    public required int Seed { get; init; }

    public required int Orders { get; init; }

    public required int Events { get; init; }

    public required int Sent { get; init; }

    public required int DuplicatesSent { get; init; }

    public required int Accepted { get; init; }

    public required int Duplicates { get; init; }

    public required int OtherSuccess { get; init; }

    public required int Retried { get; init; }

    public required int GivenUp { get; init; }

    public required int Requests { get; init; }

    public required int LostEvents { get; init; }

    public required int Poison { get; init; }

    /// <summary>Every attempt's answer by status code ("no answer" for none).</summary>
    public required IReadOnlyDictionary<string, int> Answers { get; init; }

    public required IReadOnlyDictionary<string, int> ExpectedStatuses { get; init; }

    /// <summary>How many orders' disputes should end open, won and lost.</summary>
    public required IReadOnlyDictionary<string, int> ExpectedDisputes { get; init; }

    /// <summary>The orders left pending on purpose by <c>--lose</c>: the ones the stuck-order alert should name.</summary>
    public required IReadOnlyList<string> PendingOrderIds { get; init; }

    public required IReadOnlyList<string> PoisonEventIds { get; init; }

    public required IReadOnlyList<string> GivenUpEventIds { get; init; }

    public required IReadOnlyList<ExpectedOrder> ExpectedOrders { get; init; }

    public required double ElapsedSeconds { get; init; }

    public static SimulationSummary From(SimulationPlan plan, SimulationRun run, ReceiverEndpoints endpoint, ProviderSigning signing)
    {
        var results = run.Results;
        return new SimulationSummary
        {
            Url = endpoint.ToString(),
            Provider = signing.Provider,
            Scheme = signing.SchemeName,
            Seed = plan.Seed,
            Orders = plan.Orders.Count,
            Events = plan.Events,
            Sent = results.Count,
            DuplicatesSent = results.Count(r => r.Delivery.IsDuplicate),
            Accepted = results.Count(r => r.Outcome == DeliveryOutcome.Accepted),
            Duplicates = results.Count(r => r.Outcome == DeliveryOutcome.Duplicate),
            OtherSuccess = results.Count(r => r.Outcome == DeliveryOutcome.OtherSuccess),
            Retried = results.Count(r => r.Retried),
            GivenUp = results.Count(r => r.Outcome == DeliveryOutcome.GivenUp),
            Requests = results.Sum(r => r.Answers.Count),
            LostEvents = plan.LostEvents,
            Poison = plan.PoisonEventIds.Count,
            Answers = results.SelectMany(r => r.Answers)
                .GroupBy(a => a.Label)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            ExpectedStatuses = Statuses.ToDictionary(s => s, s => plan.Orders.Count(o => o.ExpectedStatus == s)),
            ExpectedDisputes = DisputeStory.Outcomes.ToDictionary(s => s, s => plan.Orders.Count(o => o.ExpectedDispute == s)),
            PendingOrderIds = [.. plan.Orders.Where(o => o.Lost).Select(o => o.OrderId)],
            PoisonEventIds = plan.PoisonEventIds,
            GivenUpEventIds = [.. results.Where(r => r.Outcome == DeliveryOutcome.GivenUp).Select(r => r.Delivery.EventId).Distinct()],
            ExpectedOrders = [.. plan.Orders.Select(o => new ExpectedOrder(
                o.OrderId, o.Lifecycle.Name, o.ExpectedStatus, o.Lost, o.ExpectedDispute, o.Payment.Amount, o.Payment.Currency, o.ExpectedAmountRefunded))],
            ElapsedSeconds = Math.Round(run.Elapsed.TotalSeconds, 3),
        };
    }
}
