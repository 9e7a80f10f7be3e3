namespace Webhooks.Cli.Simulation;

/// <summary>One order of the run and the status the processor should leave it in, for <c>--json</c>.</summary>
internal sealed record ExpectedOrder(string OrderId, string Lifecycle, string ExpectedStatus, bool Lost);
