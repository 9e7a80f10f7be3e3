namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// What one reconciliation pass found: the events the gateway listed as not delivered, how many of them
/// were stored already (a retry got through after all, or another pass was first), how many this pass
/// stored, and those it stored (on a dry run: those it would store).
/// </summary>
public sealed record ReconcileReport(bool DryRun, int Listed, int AlreadyStored, int Ingested, IReadOnlyList<GatewayEvent> Events)
{
    /// <summary>Why the pass ended before the last page, in one sentence (the gateway's API failed for good); null when it went through.</summary>
    public string? Failure { get; init; }

    /// <summary>Cancelled between pages (Ctrl-C, or the processor stopping).</summary>
    public bool Stopped { get; init; }

    public bool Complete => Failure is null && !Stopped;
}
