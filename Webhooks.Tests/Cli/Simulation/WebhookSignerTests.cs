using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using Stripe;
using Webhooks.Cli.Simulation;

namespace Webhooks.Tests.Cli.Simulation;

/// <summary>The simulator's signatures checked by the gateways' own libraries, not by our receiver alone.</summary>
public class WebhookSignerTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private const string Body = "{\"id\":\"evt_signed\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
        + "\"data\":{\"object\":{\"metadata\":{\"order_id\":\"o-1\"}}}}";

    [Test]
    public void Stripe_IsAcceptedByStripeNet()
    {
        const string secret = "whsec_simulator_test_secret";
        var headers = new WebhookSigner(new ProviderSigning("stripe", SigningScheme.Stripe, secret)).Sign("evt_signed", Encoding.UTF8.GetBytes(Body), Now);

        var header = headers.Single(h => h.Key == "Stripe-Signature").Value;

        Assert.That(header, Does.StartWith($"t={Now.ToUnixTimeSeconds()},v1="));
        Assert.DoesNotThrow(() => EventUtility.ValidateSignature(Body, header, secret, 300, Now.ToUnixTimeSeconds()));
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(Body, header, "whsec_another_secret", 300, Now.ToUnixTimeSeconds()));
    }

    [Test]
    public void Standard_IsAcceptedByTheStandardWebhooksLibrary_WithTheEventIdAsWebhookId()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var now = TimeProvider.System.GetUtcNow();
        var signed = new WebhookSigner(new ProviderSigning("standard", SigningScheme.Standard, secret)).Sign("evt_signed", Encoding.UTF8.GetBytes(Body), now);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in signed)
        {
            headers[name] = value;
        }

        Assert.That(headers["webhook-id"].ToString(), Is.EqualTo("evt_signed"));
        Assert.DoesNotThrow(() => new StandardWebhook(secret).Verify(Body, headers));
    }

    [Test]
    public void Hmac_SignsTheBodyInTheConfiguredHeader_WithPrefixEncodingAndIdHeader()
    {
        const string secret = "hmac-secret";
        var signing = new ProviderSigning(
            "github", SigningScheme.Hmac, secret, "X-Hub-Signature-256", Base64: false, SignaturePrefix: "sha256=", IdHeader: "X-GitHub-Delivery");

        var headers = new WebhookSigner(signing).Sign("evt_signed", Encoding.UTF8.GetBytes(Body), Now).ToDictionary(h => h.Key, h => h.Value);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Body)));
        Assert.That(headers, Is.EquivalentTo(new Dictionary<string, string> { ["X-Hub-Signature-256"] = expected, ["X-GitHub-Delivery"] = "evt_signed" }));
    }
}
