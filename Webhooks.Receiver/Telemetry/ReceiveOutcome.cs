namespace Webhooks.Receiver.Telemetry;

/// <summary>
/// The <c>outcome</c> tag of <c>webhooks.events.received</c>: one per status the contract names, and
/// one per way a request is refused before it is verified.
/// </summary>
public static class ReceiveOutcome
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string UnreadableBody = "rejected_body";
    public const string BadSignature = "rejected_signature";
    public const string UnknownProvider = "unknown_provider";
    public const string TooLarge = "too_large";
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>429: the address failed verification too often recently.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>503 before reading: too many requests were being read and verified at once.</summary>
    public const string Overloaded = "overloaded";

    /// <summary>408: the body did not arrive in time.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>400 before verifying: the body's framing was broken.</summary>
    public const string Malformed = "malformed";

    /// <summary>The client hung up before its body arrived; no answer was possible.</summary>
    public const string ClientAborted = "client_aborted";
}
