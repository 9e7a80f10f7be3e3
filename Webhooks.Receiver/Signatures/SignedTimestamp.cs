using System.Globalization;

namespace Webhooks.Receiver.Signatures;

/// <summary>Parses and bounds a signed unix timestamp: the replay window of the stripe and standard schemes.</summary>
internal static class SignedTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out long seconds) =>
        text.Length is > 0 and <= SignatureLimits.MaxTimestampDigits
        && !text.StartsWith("+") && !text.StartsWith("-")
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
        || Fail(out seconds);

    public static string? CheckTolerance(long seconds, TimeProvider clock, int toleranceSeconds)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var distance = Math.Abs(now - seconds);
        return distance <= toleranceSeconds
            ? null
            : $"The signed timestamp is {distance} s away from the receiver's clock; at most {toleranceSeconds} s is accepted. "
              + "Check the sender's clock, or resend the event with a fresh signature.";
    }

    private static bool Fail(out long seconds)
    {
        seconds = 0;
        return false;
    }
}
