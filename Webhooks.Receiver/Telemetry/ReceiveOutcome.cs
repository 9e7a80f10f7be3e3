namespace Webhooks.Receiver.Telemetry;

/// <summary>The <c>outcome</c> tag of <c>webhooks.events.received</c>: one per status the contract names.</summary>
public static class ReceiveOutcome
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string UnreadableBody = "rejected_body";
    public const string BadSignature = "rejected_signature";
    public const string UnknownProvider = "unknown_provider";
    public const string TooLarge = "too_large";
    public const string StoreUnavailable = "store_unavailable";
}
