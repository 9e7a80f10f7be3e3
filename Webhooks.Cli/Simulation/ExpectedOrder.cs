namespace Webhooks.Cli.Simulation;

/// <summary>
/// One order of the run and where the processor should leave it, for <c>--json</c>: its status, its
/// dispute (null when none), and its amounts in the currency's minor unit.
/// </summary>
internal sealed record ExpectedOrder(
    string OrderId,
    string Lifecycle,
    string ExpectedStatus,
    bool Lost,
    string? ExpectedDispute,
    long Amount,
    string Currency,
    long ExpectedAmountRefunded);
