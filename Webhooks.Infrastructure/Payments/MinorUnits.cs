using System.Collections.Frozen;
using System.Globalization;
using System.Numerics;

namespace Webhooks.Infrastructure.Payments;

/// <summary>
/// Money as the gateway writes it: an integer in the currency's minor unit (cents for USD, yen for JPY,
/// fils for KWD). Formatted for people with integer arithmetic only, never through floating point.
/// </summary>
public static class MinorUnits
{
    // Stripe's zero-decimal and three-decimal currencies (https://docs.stripe.com/currencies); every
    // other currency has two decimals in its API amounts.
    private static readonly FrozenSet<string> ZeroDecimal = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");

    private static readonly FrozenSet<string> ThreeDecimal = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "bhd", "jod", "kwd", "omr", "tnd");

    /// <summary>Digits after the decimal point in the gateway's amounts of <paramref name="currency"/>.</summary>
    public static int Exponent(string currency) =>
        ZeroDecimal.Contains(currency) ? 0 : ThreeDecimal.Contains(currency) ? 3 : 2;

    /// <summary>"USD 1,234.50", "JPY 1,000", "KWD 5.125"; the bare number when the currency is unknown.</summary>
    public static string Format(long amount, string? currency)
    {
        if (string.IsNullOrEmpty(currency))
        {
            return amount.ToString("N0", CultureInfo.InvariantCulture) + " (minor units, currency unknown)";
        }

        var exponent = Exponent(currency);
        // BigInteger: the magnitude of long.MinValue does not fit a long.
        var magnitude = BigInteger.Abs(amount);
        var unit = BigInteger.Pow(10, exponent);
        var whole = (magnitude / unit).ToString("N0", CultureInfo.InvariantCulture);
        var fraction = exponent == 0 ? "" : "." + (magnitude % unit).ToString(CultureInfo.InvariantCulture).PadLeft(exponent, '0');
        return $"{currency.ToUpperInvariant()} {(amount < 0 ? "-" : "")}{whole}{fraction}";
    }
}
