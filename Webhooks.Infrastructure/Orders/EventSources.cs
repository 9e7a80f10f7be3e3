namespace Webhooks.Infrastructure.Orders;

/// <summary>Where a stored event came from, as its stored headers say (<see cref="Header"/>).</summary>
public static class EventSources
{
    /// <summary>The stored header that names an event's source; absent for a webhook the gateway delivered.</summary>
    public const string Header = "x-webhooks-source";

    /// <summary>When reconciliation stored it.</summary>
    public const string ReconciledAtHeader = "x-webhooks-reconciled-at";

    /// <summary>Who ran the reconciliation: the processor, or the CLI with the operating-system user.</summary>
    public const string ReconciledByHeader = "x-webhooks-reconciled-by";

    /// <summary>Listed by the gateway's API as not delivered, and stored by reconciliation.</summary>
    public const string Reconciliation = "reconciliation";
}
