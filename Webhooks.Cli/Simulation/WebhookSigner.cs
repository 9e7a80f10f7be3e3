using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Webhooks.Infrastructure.Signing;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Signs a request as each gateway does, following the outside contract: <c>stripe</c>
/// (<c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c> over <c>"&lt;t&gt;.&lt;body&gt;"</c>, keyed with the
/// whole secret's UTF-8 bytes), <c>standard</c> (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,&lt;base64&gt;</c> over <c>"&lt;id&gt;.&lt;t&gt;.&lt;body&gt;"</c>, keyed with the
/// base64-decoded secret after <c>whsec_</c>) and <c>hmac</c> (the body alone, in the configured header).
/// Every attempt is signed afresh, as a gateway's retry carries a new timestamp.
/// </summary>
internal sealed class WebhookSigner
{
    private readonly ProviderSigning _signing;
    private readonly byte[] _key;

    public WebhookSigner(ProviderSigning signing)
    {
        _signing = signing;
        _key = signing.Scheme == SigningScheme.Standard
            ? StandardWebhooksSecret.TryDecode(signing.Secret, out var key)
                ? key
                : throw new ArgumentException("The standard scheme's secret is not base64 after 'whsec_'.", nameof(signing))
            : Encoding.UTF8.GetBytes(signing.Secret);
    }

    /// <summary>The headers that carry the signature (and, where the scheme says so, the idempotency key) of one attempt.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sign(string eventId, byte[] body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        switch (_signing.Scheme)
        {
            case SigningScheme.Stripe:
                var stripe = Convert.ToHexStringLower(Hmac(timestamp + ".", body));
                return [new("Stripe-Signature", $"t={timestamp},v1={stripe}")];
            case SigningScheme.Standard:
                var standard = Convert.ToBase64String(Hmac($"{eventId}.{timestamp}.", body));
                return [new("webhook-id", eventId), new("webhook-timestamp", timestamp), new("webhook-signature", "v1," + standard)];
            default:
                var mac = Hmac("", body);
                var signature = (_signing.SignaturePrefix ?? "") + (_signing.Base64 ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac));
                return _signing.IdHeader is { } idHeader
                    ? [new(_signing.SignatureHeader!, signature), new(idHeader, eventId)]
                    : [new(_signing.SignatureHeader!, signature)];
        }
    }

    private byte[] Hmac(string prefix, byte[] body)
    {
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var signed = new byte[prefixBytes.Length + body.Length];
        prefixBytes.CopyTo(signed, 0);
        body.CopyTo(signed, prefixBytes.Length);
        return HMACSHA256.HashData(_key, signed);
    }
}
