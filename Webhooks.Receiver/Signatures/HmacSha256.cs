using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Receiver.Signatures;

/// <summary>HMAC-SHA256 over "prefix + body" without copying the body when there is no prefix.</summary>
internal static class HmacSha256
{
    public const int Size = 32;

    /// <summary>
    /// True when any of <paramref name="candidates"/> (MACs laid end to end) is the MAC of "prefix + body"
    /// under any of <paramref name="keys"/>. Every key is computed and every pair compared whichever
    /// matches, so the time taken says nothing about which secret or which signature did.
    /// </summary>
    public static bool AnyMatches(byte[][] keys, string prefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> candidates)
    {
        Span<byte> expected = stackalloc byte[keys.Length * Size];
        for (var i = 0; i < keys.Length; i++)
        {
            Compute(keys[i], prefix, body, expected.Slice(i * Size, Size));
        }

        var matched = false;
        for (var offset = 0; offset < candidates.Length; offset += Size)
        {
            matched |= MatchesAny(candidates.Slice(offset, Size), expected);
        }

        return matched;
    }

    private static void Compute(ReadOnlySpan<byte> key, string prefix, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (prefix.Length == 0)
        {
            HMACSHA256.HashData(key, body, destination);
            return;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var prefixLength = Encoding.UTF8.GetByteCount(prefix);
        var rented = ArrayPool<byte>.Shared.Rent(prefixLength);
        try
        {
            var written = Encoding.UTF8.GetBytes(prefix, rented);
            hmac.AppendData(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>True when <paramref name="candidate"/> equals any expected MAC; compares in constant time.</summary>
    private static bool MatchesAny(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> expectedMacs)
    {
        var matched = false;
        for (var offset = 0; offset < expectedMacs.Length; offset += Size)
        {
            // No early exit: the time taken does not depend on which secret matched.
            matched |= CryptographicOperations.FixedTimeEquals(candidate, expectedMacs.Slice(offset, Size));
        }

        return matched;
    }
}
