namespace Webhooks.Cli.Simulation;

/// <summary>
/// What a run did: every delivery's result, how long it took, and, when the receiver took nothing at
/// all, the delivery that gave up first (the run stops there: every other would fail the same way).
/// </summary>
internal sealed record SimulationRun(IReadOnlyList<DeliveryResult> Results, TimeSpan Elapsed, DeliveryResult? StoppedBy);
