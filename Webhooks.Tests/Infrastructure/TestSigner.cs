using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Signs test requests the way each gateway does, written from the schemes' documentation.</summary>
public static class TestSigner
{
    public static string StripeHeader(string secret, string body, long timestamp)
    {
        var signature = Hex(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return $"t={timestamp},v1={signature}";
    }

    public static string StripeHeader(string secret, byte[] body, long timestamp)
    {
        var prefix = Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        return $"t={timestamp},v1={Hex(Encoding.UTF8.GetBytes(secret), [.. prefix, .. body])}";
    }

    public static string HmacHex(string secret, byte[] body) => Hex(Encoding.UTF8.GetBytes(secret), body);

    public static string HmacBase64(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static long Now(TimeProvider? clock = null) => (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();

    private static string Hex(byte[] key, byte[] data) => Convert.ToHexStringLower(HMACSHA256.HashData(key, data));
}
