using System.Text;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Signatures;

/// <summary>
/// A plain HMAC-SHA256 of the raw body in a configurable header, hex or base64, with an optional
/// prefix such as <c>sha256=</c>. The scheme signs no timestamp: its replay protection is the
/// idempotency key alone.
/// </summary>
public sealed class HmacSignatureVerifier : ISignatureVerifier
{
    private readonly byte[][] _keys;
    private readonly string _header;
    private readonly bool _base64;
    private readonly string _prefix;

    public HmacSignatureVerifier(IEnumerable<string> secrets, string header, string? encoding, string? prefix, string? idHeader)
    {
        _keys = [.. secrets.Select(Encoding.UTF8.GetBytes)];
        _header = header;
        _base64 = string.Equals(encoding, "base64", StringComparison.OrdinalIgnoreCase);
        _prefix = prefix ?? "";
        StoredHeaders = idHeader is null ? [header.ToLowerInvariant()] : [header.ToLowerInvariant(), idHeader.ToLowerInvariant()];
    }

    public IReadOnlyList<string> StoredHeaders { get; }

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var values = headers[_header];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return SignatureCheck.Missing($"The {_header} header is missing.");
        }

        if (values.Count > 1)
        {
            return SignatureCheck.Invalid($"The {_header} header appears more than once; send exactly one.");
        }

        var value = values[0].AsSpan().Trim();
        if (_prefix.Length > 0)
        {
            if (!value.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase))
            {
                return SignatureCheck.Invalid($"The {_header} header does not start with '{_prefix}'.");
            }

            value = value[_prefix.Length..];
        }

        Span<byte> candidate = stackalloc byte[48];
        var decoded = _base64
            ? Convert.TryFromBase64Chars(value, candidate, out var written) && written == HmacSha256.Size
            : value.Length == HmacSha256.Size * 2
              && Convert.FromHexString(value, candidate, out _, out written) == System.Buffers.OperationStatus.Done
              && written == HmacSha256.Size;
        if (!decoded)
        {
            return SignatureCheck.Invalid($"The {_header} header is not a {(_base64 ? "base64" : "hex")} HMAC-SHA256.");
        }

        return HmacSha256.AnyMatches(_keys, "", body, candidate[..HmacSha256.Size])
            ? SignatureCheck.Valid()
            : SignatureCheck.Mismatch($"The {_header} signature does not match an active signing secret for this endpoint.");
    }
}
