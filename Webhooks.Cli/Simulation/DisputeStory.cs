using static Webhooks.Cli.Simulation.SimulatedSteps;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// A chargeback on a paid order (<c>--disputes</c>), as the gateway tells it, and how the order's
/// dispute must end: still <c>open</c>, <c>won</c> (the funds come back) or <c>lost</c>.
/// </summary>
internal sealed record DisputeStory(string Outcome, IReadOnlyList<SimulatedStep> Steps)
{
    public static DisputeStory Open { get; } = new("open", [DisputeCreated, DisputeFundsWithdrawn]);

    public static DisputeStory Won { get; } = new("won", [DisputeCreated, DisputeFundsWithdrawn, DisputeUnderReview, DisputeWon, DisputeFundsReinstated]);

    public static DisputeStory Lost { get; } = new("lost", [DisputeCreated, DisputeFundsWithdrawn, DisputeUnderReview, DisputeLost]);

    public static IReadOnlyList<DisputeStory> All { get; } = [Open, Won, Lost];

    /// <summary>The outcomes in the order the summary lists them.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = [.. All.Select(s => s.Outcome)];
}
