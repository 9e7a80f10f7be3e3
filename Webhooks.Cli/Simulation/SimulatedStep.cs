namespace Webhooks.Cli.Simulation;

/// <summary>
/// One event of a simulated story: its Stripe type, and the variant of its object the factory builds
/// (a partial or a full refund; a dispute's status). The steps are in <see cref="SimulatedSteps"/>.
/// </summary>
internal sealed record SimulatedStep(string Type, string Variant = "")
{
    public override string ToString() => Variant.Length == 0 ? Type : $"{Type} ({Variant})";
}
