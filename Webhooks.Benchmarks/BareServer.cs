using Webhooks.Receiver.Signatures;

namespace Webhooks.Benchmarks;

/// <summary>(a) The ceiling: Kestrel reads the body and checks the Stripe signature, nothing more.</summary>
internal static class BareServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var verifier = new StripeSignatureVerifier([BenchSettings.Secret], BenchSettings.ToleranceSeconds, TimeProvider.System);

        app.MapPost("/webhooks/stripe", async (HttpContext context) =>
        {
            var body = await BenchSettings.ReadBodyAsync(context);
            if (body is null)
            {
                return Results.StatusCode(413);
            }

            return verifier.Verify(context.Request.Headers, body).IsValid ? Results.Ok() : Results.StatusCode(401);
        });
        await app.RunAsync();
    }
}
