using System.Text;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Signatures;

/// <summary>
/// Stripe's scheme: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...]</c> over <c>"&lt;t&gt;." + raw body</c>,
/// HMAC-SHA256 keyed with the UTF-8 bytes of the whole <c>whsec_...</c> secret. Any v1 may match any
/// active secret; v0 and unknown schemes in the header are ignored, as Stripe documents.
/// </summary>
public sealed class StripeSignatureVerifier : ISignatureVerifier
{
    public const string HeaderName = "Stripe-Signature";

    private readonly byte[][] _keys;
    private readonly int _toleranceSeconds;
    private readonly TimeProvider _clock;

    public StripeSignatureVerifier(IEnumerable<string> secrets, int toleranceSeconds, TimeProvider clock)
    {
        _keys = [.. secrets.Select(Encoding.UTF8.GetBytes)];
        _toleranceSeconds = toleranceSeconds;
        _clock = clock;
    }

    public IReadOnlyList<string> StoredHeaders { get; } = ["stripe-signature"];

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var values = headers[HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return SignatureCheck.Missing("The Stripe-Signature header is missing.");
        }

        if (values.Count > 1)
        {
            return SignatureCheck.Invalid("The Stripe-Signature header appears more than once; send exactly one.");
        }

        var header = values[0]!;
        if (header.Length > SignatureLimits.MaxHeaderLength)
        {
            return SignatureCheck.Invalid($"The Stripe-Signature header is longer than {SignatureLimits.MaxHeaderLength} characters.");
        }

        long? timestamp = null;
        Span<byte> candidates = stackalloc byte[SignatureLimits.MaxSignatures * HmacSha256.Size];
        var candidateCount = 0;
        var v1Count = 0;
        foreach (var range in header.AsSpan().Split(','))
        {
            var part = header.AsSpan(range).Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                return SignatureCheck.Invalid("The Stripe-Signature header is malformed: expected comma-separated key=value pairs such as t=...,v1=....");
            }

            var key = part[..equals];
            var value = part[(equals + 1)..];
            if (key.SequenceEqual("t"))
            {
                if (timestamp is not null || !SignedTimestamp.TryParse(value, out var seconds))
                {
                    return SignatureCheck.Invalid("The Stripe-Signature header's timestamp (t=) is missing a value, repeated or not a unix time in seconds.");
                }

                timestamp = seconds;
            }
            else if (key.SequenceEqual("v1"))
            {
                if (++v1Count > SignatureLimits.MaxSignatures)
                {
                    return SignatureCheck.Invalid($"The Stripe-Signature header has more than {SignatureLimits.MaxSignatures} v1 signatures.");
                }

                // A v1 that is not 64 hex digits can match nothing; it is skipped, as if absent.
                var slot = candidates.Slice(candidateCount * HmacSha256.Size, HmacSha256.Size);
                if (value.Length == HmacSha256.Size * 2
                    && Convert.FromHexString(value, slot, out _, out var written) == System.Buffers.OperationStatus.Done
                    && written == HmacSha256.Size)
                {
                    candidateCount++;
                }
            }
        }

        if (timestamp is null)
        {
            return SignatureCheck.Invalid("The Stripe-Signature header has no timestamp (t=...).");
        }

        if (v1Count == 0)
        {
            return SignatureCheck.Invalid("The Stripe-Signature header has no v1 signature; v0 and other schemes are not accepted.");
        }

        var prefix = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timestamp.Value}.");
        if (!HmacSha256.AnyMatches(_keys, prefix, body, candidates[..(candidateCount * HmacSha256.Size)]))
        {
            return SignatureCheck.Mismatch("No v1 signature in the Stripe-Signature header matches an active signing secret for this endpoint.");
        }

        var toleranceFailure = SignedTimestamp.CheckTolerance(timestamp.Value, _clock, _toleranceSeconds);
        return toleranceFailure is null ? SignatureCheck.Valid() : SignatureCheck.Expired(toleranceFailure);
    }
}
