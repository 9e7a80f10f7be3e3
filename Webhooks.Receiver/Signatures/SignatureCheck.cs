namespace Webhooks.Receiver.Signatures;

/// <summary>
/// The verdict on one request's signature. <see cref="Failure"/> is a sentence safe to return to the
/// caller and to log: it never contains a signature or a secret.
/// </summary>
public readonly record struct SignatureCheck(bool IsValid, string? Failure, string? SignedEventId)
{
    public static SignatureCheck Valid(string? signedEventId = null) => new(true, null, signedEventId);

    public static SignatureCheck Invalid(string failure) => new(false, failure, null);
}
