using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Webhooks.Receiver.Signatures;

namespace Webhooks.Tests.Signatures;

/// <summary>
/// Our Standard Webhooks verifier against the reference <c>StandardWebhooks</c> package, which signs
/// every case here and verifies it independently. That package reads the system clock, so ours does too.
/// </summary>
public class StandardWebhooksSignatureVerifierTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string RotatedSecret = "whsec_QkVTVC1zZWNvbmQtc2VjcmV0LWZvci1yb3RhdGlvbg==";
    private const string UnknownSecret = "whsec_dW5rbm93bi1zZWNyZXQtbm90LWNvbmZpZ3VyZWQ=";
    private const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private const string Body = """{"type":"invoice.paid","timestamp":"2026-11-28T12:00:00Z","data":{"id":"in_1"}}""";

    private static string Sign(string secret, DateTimeOffset when, string body = Body, string id = Id) => new StandardWebhook(secret).Sign(id, when, body);

    private static string Unix(DateTimeOffset when) => when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Each case builds its headers from the clock when it runs (not when tests are discovered), as
    /// (webhook-id, webhook-timestamp, webhook-signature, body).
    /// </summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        static TestCaseData Case(string name, Func<DateTimeOffset, (string Id, string Timestamp, string Signature, string Body)> build, bool expected) =>
            new TestCaseData(build, expected).SetName(name);

        yield return Case("Valid signature", now => (Id, Unix(now), Sign(Secret, now), Body), true);
        yield return Case("Valid signature with the second active secret (rotation)", now => (Id, Unix(now), Sign(RotatedSecret, now), Body), true);
        yield return Case("Signature with a secret that is not configured", now => (Id, Unix(now), Sign(UnknownSecret, now), Body), false);
        yield return Case(
            "Body changed after signing", now => (Id, Unix(now), Sign(Secret, now), Body.Replace("in_1", "in_2", StringComparison.Ordinal)), false);
        yield return Case("Different webhook-id than signed", now => ("msg_other", Unix(now), Sign(Secret, now), Body), false);
        yield return Case("Timestamp ten minutes old", now => (Id, Unix(now.AddMinutes(-10)), Sign(Secret, now.AddMinutes(-10)), Body), false);
        yield return Case("Timestamp ten minutes ahead", now => (Id, Unix(now.AddMinutes(10)), Sign(Secret, now.AddMinutes(10)), Body), false);
        yield return Case(
            "Timestamp four minutes old, inside the tolerance", now => (Id, Unix(now.AddMinutes(-4)), Sign(Secret, now.AddMinutes(-4)), Body), true);
        yield return Case("Timestamp not a number", now => (Id, "not-a-number", Sign(Secret, now), Body), false);
        yield return Case(
            "Only an unknown signature version", now => (Id, Unix(now), Sign(Secret, now).Replace("v1,", "v2,", StringComparison.Ordinal), Body), false);
        yield return Case("Signature not base64", now => (Id, Unix(now), "v1,not base64!", Body), false);
        yield return Case("Empty signature header", now => (Id, Unix(now), "", Body), false);
    }

    [TestCaseSource(nameof(Cases))]
    public void Verify_AgreesWithStandardWebhooksPackage(
        Func<DateTimeOffset, (string Id, string Timestamp, string Signature, string Body)> build, bool expected)
    {
        var (id, timestamp, signature, body) = build(TimeProvider.System.GetUtcNow());
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = signature,
        };

        var ours = Verifier().Verify(headers, Encoding.UTF8.GetBytes(body));
        var reference = ReferenceAccepts(body, headers);

        Assert.Multiple(() =>
        {
            Assert.That(ours.IsValid, Is.EqualTo(expected), ours.Failure);
            Assert.That(reference, Is.EqualTo(expected), "the StandardWebhooks package disagrees with the expected verdict");
        });
        if (expected)
        {
            Assert.That(ours.SignedEventId, Is.EqualTo(id));
        }
    }

    [Test]
    public void Verify_SecondOfTwoSignaturesMatches_Accepted()
    {
        // The spec allows a space-separated list; the reference package only handles one entry, so
        // it checks the matching signature on its own and ours checks the whole list.
        var now = TimeProvider.System.GetUtcNow();
        var good = Sign(Secret, now);
        var headers = new HeaderDictionary { ["webhook-id"] = Id, ["webhook-timestamp"] = Unix(now), ["webhook-signature"] = good };
        Assert.That(ReferenceAccepts(Body, headers), Is.True);

        headers["webhook-signature"] = $"{Sign(UnknownSecret, now)} {good}";
        var result = Verifier().Verify(headers, Encoding.UTF8.GetBytes(Body));

        Assert.That(result.IsValid, Is.True, result.Failure);
    }

    [Test]
    public void Verify_SvixHeaderAliases_AreAccepted()
    {
        var now = TimeProvider.System.GetUtcNow();
        var headers = new HeaderDictionary
        {
            ["svix-id"] = Id,
            ["svix-timestamp"] = Unix(now),
            ["svix-signature"] = Sign(Secret, now),
        };

        var result = Verifier().Verify(headers, Encoding.UTF8.GetBytes(Body));

        Assert.That(result.IsValid, Is.True, result.Failure);
        Assert.That(result.SignedEventId, Is.EqualTo(Id));
    }

    [TestCase("webhook-id")]
    [TestCase("webhook-timestamp")]
    [TestCase("webhook-signature")]
    public void Verify_MissingHeader_NamesIt(string missing)
    {
        var now = TimeProvider.System.GetUtcNow();
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = Id,
            ["webhook-timestamp"] = Unix(now),
            ["webhook-signature"] = Sign(Secret, now),
        };
        headers.Remove(missing);

        var result = Verifier().Verify(headers, Encoding.UTF8.GetBytes(Body));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain(missing));
    }

    [Test]
    public void Verify_ThousandsOfSignatures_Rejected()
    {
        var now = TimeProvider.System.GetUtcNow();
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = Id,
            ["webhook-timestamp"] = Unix(now),
            ["webhook-signature"] = string.Join(' ', Enumerable.Repeat(Sign(UnknownSecret, now), 2000)),
        };

        var result = Verifier().Verify(headers, Encoding.UTF8.GetBytes(Body));

        Assert.That(result.IsValid, Is.False);
    }

    private static StandardWebhooksSignatureVerifier Verifier() => new([Secret, RotatedSecret], 300, TimeProvider.System);

    private static bool ReferenceAccepts(string body, HeaderDictionary headers) =>
        new[] { Secret, RotatedSecret }.Any(secret =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body, headers);
                return true;
            }
            catch (WebhookVerificationException)
            {
                return false;
            }
        });
}
