using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>Signatures and secrets never reach a log line, whatever the request did.</summary>
public class LogRedactionTests
{
    [Test]
    public async Task AcceptedAndRejectedRequests_LogNoSecretOrSignature()
    {
        await using var factory = new ReceiverFactory();
        using var client = factory.CreateClient();
        var sentSignatures = new List<string>();

        async Task SendAsync(HttpRequestMessage request)
        {
            foreach (var header in request.Headers.Where(h => h.Key.Contains("signature", StringComparison.OrdinalIgnoreCase)))
            {
                sentSignatures.AddRange(header.Value.SelectMany(v => v.Split(',', ' ', '=')).Where(v => v.Length >= 32));
            }

            using var response = await client.SendAsync(request);
        }

        var id = TestEvents.NewEventId();
        await SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
        await SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
        await SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId()), "whsec_wrong_secret_for_the_log_test"));
        await SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId()), timestamp: TestSigner.Now() - 7200));
        await SendAsync(TestEvents.Stripe("[\"not an object\"]"));
        await SendAsync(TestEvents.Standard($"msg_{Guid.NewGuid():N}", """{"type":"x"}"""));
        await SendAsync(TestEvents.Standard($"msg_{Guid.NewGuid():N}", """{"type":"x"}""", "whsec_dW5rbm93bi1zZWNyZXQtbm90LWNvbmZpZ3VyZWQ="));
        var body = Encoding.UTF8.GetBytes("""{"type":"order.paid","data":{"id":"d_log"}}""");
        var hmac = TestEvents.Json("/webhooks/shop", body);
        hmac.Headers.Add("X-Signature", TestSigner.HmacBase64("not-the-secret", body));
        await SendAsync(hmac);

        var logs = string.Join('\n', factory.Logs.Lines);
        Assert.That(logs, Does.Contain("Rejected a webhook"), "the test must have produced rejection logs to be meaningful");
        Assert.Multiple(() =>
        {
            foreach (var secret in ReceiverFactory.Secrets)
            {
                Assert.That(logs, Does.Not.Contain(secret));
            }

            foreach (var signature in sentSignatures)
            {
                Assert.That(logs, Does.Not.Contain(signature));
            }
        });
    }
}
