using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Webhooks.Infrastructure.Signing;

namespace Webhooks.Receiver.Signatures;

/// <summary>
/// Standard Webhooks (standardwebhooks.com; what Svix sends): <c>webhook-id</c>, <c>webhook-timestamp</c>
/// and <c>webhook-signature</c> (or their <c>svix-*</c> aliases); HMAC-SHA256 over
/// <c>"&lt;id&gt;.&lt;timestamp&gt;." + raw body</c> keyed with the base64-decoded secret after <c>whsec_</c>;
/// the signature header is a space-separated list of <c>v1,&lt;base64&gt;</c>, any of which may match.
/// </summary>
public sealed class StandardWebhooksSignatureVerifier : ISignatureVerifier
{
    private const int MaxIdLength = 255;

    private readonly byte[][] _keys;
    private readonly int _toleranceSeconds;
    private readonly TimeProvider _clock;

    public StandardWebhooksSignatureVerifier(IEnumerable<string> secrets, int toleranceSeconds, TimeProvider clock)
    {
        _keys = [.. secrets.Select(s => StandardWebhooksSecret.TryDecode(s, out var key)
            ? key
            : throw new ArgumentException("A Standard Webhooks secret is not valid base64.", nameof(secrets)))];
        _toleranceSeconds = toleranceSeconds;
        _clock = clock;
    }

    public IReadOnlyList<string> StoredHeaders { get; } =
        ["webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature"];

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (!TryGetSingle(headers, "webhook-id", "svix-id", out var id, out var failure)
            || !TryGetSingle(headers, "webhook-timestamp", "svix-timestamp", out var timestampText, out failure)
            || !TryGetSingle(headers, "webhook-signature", "svix-signature", out var signatures, out failure))
        {
            return failure.EndsWith("is missing.", StringComparison.Ordinal) ? SignatureCheck.Missing(failure) : SignatureCheck.Invalid(failure);
        }

        if (id.Length > MaxIdLength)
        {
            return SignatureCheck.Invalid($"The webhook-id header is longer than {MaxIdLength} characters.");
        }

        if (!SignedTimestamp.TryParse(timestampText, out var timestamp))
        {
            return SignatureCheck.Invalid("The webhook-timestamp header is not a unix time in seconds.");
        }

        if (signatures.Length > SignatureLimits.MaxHeaderLength)
        {
            return SignatureCheck.Invalid($"The webhook-signature header is longer than {SignatureLimits.MaxHeaderLength} characters.");
        }

        Span<byte> candidates = stackalloc byte[SignatureLimits.MaxSignatures * HmacSha256.Size];
        var candidateCount = 0;
        var v1Count = 0;
        Span<byte> decoded = stackalloc byte[48];
        foreach (var range in signatures.AsSpan().Split(' '))
        {
            var entry = signatures.AsSpan(range);
            if (entry.IsEmpty)
            {
                continue;
            }

            var comma = entry.IndexOf(',');
            if (comma <= 0)
            {
                return SignatureCheck.Invalid("The webhook-signature header is malformed: expected space-separated entries such as v1,<base64>.");
            }

            if (!entry[..comma].SequenceEqual("v1"))
            {
                continue;
            }

            if (++v1Count > SignatureLimits.MaxSignatures)
            {
                return SignatureCheck.Invalid($"The webhook-signature header has more than {SignatureLimits.MaxSignatures} v1 signatures.");
            }

            if (Convert.TryFromBase64Chars(entry[(comma + 1)..], decoded, out var written) && written == HmacSha256.Size)
            {
                decoded[..HmacSha256.Size].CopyTo(candidates.Slice(candidateCount * HmacSha256.Size, HmacSha256.Size));
                candidateCount++;
            }
        }

        if (v1Count == 0)
        {
            return SignatureCheck.Invalid("The webhook-signature header has no v1 signature.");
        }

        var prefix = string.Concat(id, ".", timestampText, ".");
        if (!HmacSha256.AnyMatches(_keys, prefix, body, candidates[..(candidateCount * HmacSha256.Size)]))
        {
            return SignatureCheck.Mismatch("No v1 signature in the webhook-signature header matches an active signing secret for this endpoint.");
        }

        var toleranceFailure = SignedTimestamp.CheckTolerance(timestamp, _clock, _toleranceSeconds);
        return toleranceFailure is null ? SignatureCheck.Valid(id) : SignatureCheck.Expired(toleranceFailure);
    }

    private static bool TryGetSingle(IHeaderDictionary headers, string name, string alias, out string value, [NotNullWhen(false)] out string? failure)
    {
        var values = headers[name];
        if (values.Count == 0)
        {
            values = headers[alias];
        }

        value = "";
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            failure = $"The {name} header (or {alias}) is missing.";
            return false;
        }

        if (values.Count > 1)
        {
            failure = $"The {name} header appears more than once; send exactly one.";
            return false;
        }

        value = values[0]!;
        failure = null;
        return true;
    }
}
