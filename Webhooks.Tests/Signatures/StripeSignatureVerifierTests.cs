using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Stripe;
using Webhooks.Receiver.Signatures;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Signatures;

/// <summary>
/// Our Stripe verifier against Stripe's own library (Stripe.net <c>EventUtility.ValidateSignature</c>)
/// on the same inputs and the same clock: both must reach the verdict each case expects.
/// </summary>
public class StripeSignatureVerifierTests
{
    private const string Secret = "whsec_primary_0123456789abcdefghijkl";
    private const string RotatedSecret = "whsec_rotated_zyxwvutsrqponmlkjihgf";
    private const string UnknownSecret = "whsec_unknown_aaaaaaaaaaaaaaaaaaaaaa";
    private const int Tolerance = 300;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();
    private static readonly string Body = TestEvents.StripeBody("evt_1Pgc76B7WZ01zgkWwyRHS12y");

    private static string V1(string secret, long t, string body = "") => TestSigner.StripeHeader(secret, body.Length == 0 ? Body : body, t).Split(",v1=")[1];

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData($"t={T},v1={V1(Secret, T)}", Body, true).SetName("Valid signature with the primary secret");
        yield return new TestCaseData($"t={T},v1={V1(RotatedSecret, T)}", Body, true).SetName("Valid signature with the second active secret (rotation)");
        yield return new TestCaseData($"t={T},v1={V1(UnknownSecret, T)}", Body, false).SetName("Signature with a secret that is not configured");
        yield return new TestCaseData($"t={T},v1={V1(UnknownSecret, T)},v1={V1(Secret, T)}", Body, true).SetName("Second of two v1 signatures matches");
        yield return new TestCaseData($"t={T},v1={V1(Secret, T)}", Body.Replace("2000", "2001", StringComparison.Ordinal), false)
            .SetName("Body changed after signing");
        yield return new TestCaseData($"t={T - Tolerance},v1={V1(Secret, T - Tolerance)}", Body, true).SetName("Timestamp exactly at the tolerance");
        yield return new TestCaseData($"t={T - Tolerance - 1},v1={V1(Secret, T - Tolerance - 1)}", Body, false)
            .SetName("Timestamp one second beyond the tolerance");
        yield return new TestCaseData($"t={T},v0={V1(Secret, T)}", Body, false).SetName("Only a v0 signature");
        yield return new TestCaseData($"t={T}", Body, false).SetName("No signature at all");
        yield return new TestCaseData($"v1={V1(Secret, T)}", Body, false).SetName("No timestamp");
        yield return new TestCaseData($"t=abc,v1={V1(Secret, T)}", Body, false).SetName("Timestamp not a number");
        yield return new TestCaseData($"t={T},v1=not-hex-at-all", Body, false).SetName("Signature not hex");
        yield return new TestCaseData("garbage", Body, false).SetName("Header without key=value pairs");
        yield return new TestCaseData($"v1={V1(Secret, T)},t={T}", Body, true).SetName("Pairs in another order");
        yield return new TestCaseData($"t={T},v1={V1(Secret, T)},v9=unknown-scheme", Body, true).SetName("Unknown scheme alongside is ignored");
        yield return new TestCaseData($"t={T},v1={V1(Secret, T)[..^1]}", Body, false).SetName("Signature one digit short");
    }

    [TestCaseSource(nameof(Cases))]
    public void Verify_AgreesWithStripeNet(string header, string body, bool expected)
    {
        var ours = Verify(header, body);
        var stripe = StripeNetAccepts(header, body);

        Assert.Multiple(() =>
        {
            Assert.That(ours.IsValid, Is.EqualTo(expected), ours.Failure);
            Assert.That(stripe, Is.EqualTo(expected), "Stripe.net disagrees with the expected verdict");
        });
        if (!expected)
        {
            Assert.That(ours.Failure, Is.Not.Empty);
        }
    }

    [Test]
    public void Verify_MissingHeader_FailsWithReason()
    {
        var result = new StripeSignatureVerifier([Secret], Tolerance, new FakeTimeProvider(Now)).Verify(new HeaderDictionary(), Encoding.UTF8.GetBytes(Body));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain("missing"));
    }

    [Test]
    public void Verify_TimestampFarInTheFuture_IsRejected()
    {
        // Stripe.net only rejects old timestamps; a signed time far ahead of our clock is just as suspect.
        var future = T + Tolerance + 1;
        var result = Verify($"t={future},v1={V1(Secret, future)}", Body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain("away from the receiver's clock"));
    }

    [Test]
    public void Verify_ThousandsOfSignatures_RejectedWithoutCheckingThem()
    {
        var header = $"t={T}," + string.Join(',', Enumerable.Repeat($"v1={V1(UnknownSecret, T)}", 3000));

        var result = Verify(header, Body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain("longer than").Or.Contain("more than"));
    }

    [Test]
    public void Verify_ReasonNeverContainsTheSignature()
    {
        var v1 = V1(UnknownSecret, T);
        var result = Verify($"t={T},v1={v1}", Body);

        Assert.That(result.Failure, Does.Not.Contain(v1));
    }

    private static SignatureCheck Verify(string header, string body)
    {
        var verifier = new StripeSignatureVerifier([Secret, RotatedSecret], Tolerance, new FakeTimeProvider(Now));
        var headers = new HeaderDictionary { ["Stripe-Signature"] = header };
        return verifier.Verify(headers, Encoding.UTF8.GetBytes(body));
    }

    private static bool StripeNetAccepts(string header, string body) =>
        new[] { Secret, RotatedSecret }.Any(secret =>
        {
            try
            {
                EventUtility.ValidateSignature(body, header, secret, Tolerance, T);
                return true;
            }
            catch (StripeException)
            {
                return false;
            }
            catch (FormatException)
            {
                return false;
            }
        });
}
