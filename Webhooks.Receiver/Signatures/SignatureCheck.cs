namespace Webhooks.Receiver.Signatures;

/// <summary>
/// The verdict on one request's signature. <see cref="Failure"/> is a sentence safe to return to the
/// caller and to log: it never contains a signature or a secret. <see cref="Reason"/> is one of
/// <see cref="SignatureRejection"/>'s values.
/// </summary>
public readonly record struct SignatureCheck(bool IsValid, string? Failure, string? SignedEventId, string? Reason = null)
{
    public static SignatureCheck Valid(string? signedEventId = null) => new(true, null, signedEventId);

    public static SignatureCheck Invalid(string failure) => new(false, failure, null, SignatureRejection.Malformed);

    public static SignatureCheck Missing(string failure) => new(false, failure, null, SignatureRejection.Missing);

    public static SignatureCheck Expired(string failure) => new(false, failure, null, SignatureRejection.Expired);

    public static SignatureCheck Mismatch(string failure) => new(false, failure, null, SignatureRejection.Mismatch);
}
