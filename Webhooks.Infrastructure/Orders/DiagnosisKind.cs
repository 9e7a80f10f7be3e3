namespace Webhooks.Infrastructure.Orders;

/// <summary>Why an order is still pending, as far as the store and the gateway can tell.</summary>
public enum DiagnosisKind
{
    /// <summary>An event for it is stored and not processed yet: processing is behind, nothing is wrong with the payment.</summary>
    Queued,

    /// <summary>An event for it came from the gateway's API (reconciliation): it was never delivered as a webhook.</summary>
    Recovered,

    /// <summary>An event for it is dead-lettered: one replay command fixes it (after the cause).</summary>
    DeadLettered,

    /// <summary>The gateway was asked and says the payment is not complete: the customer has not paid.</summary>
    NotPaid,

    /// <summary>The gateway was asked and says the payment succeeded, but no event that says so is stored.</summary>
    PaidNotDelivered,

    /// <summary>Nothing is queued or dead-lettered, and the gateway was not (or could not be) asked.</summary>
    Unknown,
}
