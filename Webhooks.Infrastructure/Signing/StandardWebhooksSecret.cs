using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Infrastructure.Signing;

/// <summary>
/// A Standard Webhooks signing secret: base64 after an optional <c>whsec_</c> prefix. The receiver
/// verifies with the decoded key and the simulator signs with it, so both read the secret here.
/// </summary>
public static class StandardWebhooksSecret
{
    public const string Prefix = "whsec_";

    public static bool TryDecode(string secret, [NotNullWhen(true)] out byte[]? key)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var buffer = new byte[text.Length];
        if (text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var written) && written > 0)
        {
            key = buffer[..written];
            return true;
        }

        key = null;
        return false;
    }
}
