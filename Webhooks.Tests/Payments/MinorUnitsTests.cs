using Webhooks.Infrastructure.Payments;

namespace Webhooks.Tests.Payments;

/// <summary>Amounts in minor units, written for people with the currency's own number of decimals, never through floating point.</summary>
public class MinorUnitsTests
{
    [TestCase(2050L, "usd", "USD 20.50")]
    [TestCase(5L, "usd", "USD 0.05")]
    [TestCase(123456789L, "eur", "EUR 1,234,567.89")]
    [TestCase(125000L, "jpy", "JPY 125,000")]
    [TestCase(125000L, "JPY", "JPY 125,000")]
    [TestCase(5125L, "kwd", "KWD 5.125")]
    [TestCase(0L, "gbp", "GBP 0.00")]
    [TestCase(-150L, "eur", "EUR -1.50")]
    [TestCase(long.MaxValue, "usd", "USD 92,233,720,368,547,758.07")]
    [TestCase(long.MinValue, "usd", "USD -92,233,720,368,547,758.08")]
    public void Format_UsesTheCurrencysExponent(long amount, string currency, string expected) =>
        Assert.That(MinorUnits.Format(amount, currency), Is.EqualTo(expected));

    [Test]
    public void Format_WithoutACurrency_SaysSo() =>
        Assert.That(MinorUnits.Format(1000, null), Is.EqualTo("1,000 (minor units, currency unknown)"));
}
