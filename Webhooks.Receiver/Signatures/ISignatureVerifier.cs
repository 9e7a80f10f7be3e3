using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Signatures;

/// <summary>Checks a request's signature over the raw body bytes, before anything parses them.</summary>
public interface ISignatureVerifier
{
    /// <summary>Headers worth keeping with the stored event (lower-case names).</summary>
    IReadOnlyList<string> StoredHeaders { get; }

    SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body);
}
