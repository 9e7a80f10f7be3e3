namespace Webhooks.Receiver.Signatures;

/// <summary>
/// Why a signature was rejected, as the <c>reason</c> label of <c>webhooks.events.received</c>: a
/// gateway with a rotated secret (mismatch) and a clock that drifted (expired) need different fixes,
/// and a scanner (missing, malformed) needs none.
/// </summary>
public static class SignatureRejection
{
    /// <summary>The signature header (or one it needs) is not there.</summary>
    public const string Missing = "missing";

    /// <summary>The header is there but cannot be read: repeated, too long, no v1, not hex or base64.</summary>
    public const string Malformed = "malformed";

    /// <summary>The signature matches, but its signed timestamp is outside the tolerance.</summary>
    public const string Expired = "expired";

    /// <summary>No signature matches an active secret.</summary>
    public const string Mismatch = "mismatch";
}
