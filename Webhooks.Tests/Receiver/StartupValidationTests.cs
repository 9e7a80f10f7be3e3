using System.Diagnostics;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>
/// A broken setting stops the receiver at start, and the message names the variable to fix. Run as a
/// real process with environment variables, exactly as an operator would meet it.
/// </summary>
public class StartupValidationTests
{
    [TestCase("Webhooks__Providers__paypal__Scheme", "stripe", "Webhooks__Providers__paypal__Secrets__0")]
    [TestCase("Webhooks__Providers__paypal__Scheme", "rot13", "Webhooks__Providers__paypal__Scheme")]
    [TestCase("Webhooks__Providers__stripe__ToleranceSeconds", "-5", "Webhooks__Providers__stripe__ToleranceSeconds")]
    [TestCase("Webhooks__Providers__stripe__Secrets__0", "", "Webhooks__Providers__stripe__Secrets__0")]
    [TestCase("Webhooks__MaxBodyBytes", "0", "Webhooks__MaxBodyBytes")]
    [TestCase("Webhooks__StoreTimeout", "soon", "Webhooks__StoreTimeout 'soon' is not a time span: write it as hh:mm:ss")]
    [TestCase("Webhooks__MaxBodyBytes", "1MB", "Webhooks__MaxBodyBytes '1MB' is not a whole number")]
    [TestCase("ConnectionStrings__RabbitMq", "http://localhost:5672", "ConnectionStrings__RabbitMq")]
    [TestCase("ConnectionStrings__RabbitMq", "amqp://guest:guest@127.0.0.1:5672/,amqp://guest:other@127.0.0.1:5673/", "ConnectionStrings__RabbitMq")]
    [TestCase("ConnectionStrings__RabbitMq", "amqp://guest:guest@127.0.0.1:5672/,", "ConnectionStrings__RabbitMq")]
    [TestCase("ConnectionStrings__Postgres", "this is not a connection string", "ConnectionStrings__Postgres")]
    [TestCase("ConnectionStrings__Postgres", "Host=127.0.0.1:5432,127.0.0.1:5433;Database=webhooks;Username=webhooks", "ConnectionStrings__Postgres")]
    [TestCase("Broker__EventExchange", "bad exchange name!", "Broker__EventExchange")]
    [TestCase("Outbox__FastLaneLease", "00:00:01", "Outbox__FastLaneLease")]
    [TestCase("Protection__MaxConcurrentUnverified", "0", "Protection__MaxConcurrentUnverified")]
    [TestCase("Protection__ExemptNetworks__0", "not-a-network", "Protection__ExemptNetworks__0")]
    [TestCase("Protection__TrustedProxies__0", "10.0.0.0/33", "Protection__TrustedProxies__0")]
    public async Task BadSetting_StopsTheProcess_NamingTheSetting(string variable, string value, string expectedName)
    {
        var (exitCode, output) = await RunReceiverAsync(new Dictionary<string, string> { [variable] = value });

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain(expectedName));
    }

    [TestCase("Webhooks__Providers__standard__Scheme", "standard", "Webhooks__Providers__standard__Secrets__0", "whsec_***not base64 but secret-ish***")]
    [TestCase("Webhooks__Providers__github__Scheme", "hmac", "Webhooks__Providers__github__Secrets__0", "hmac-secret-ish-value")]
    public async Task InvalidProvider_MessageNamesTheSetting_ButNeverTheSecret(string schemeVariable, string scheme, string secretVariable, string secret)
    {
        // The hmac provider lacks its SignatureHeader, the standard one has a secret that is not base64.
        var (exitCode, output) = await RunReceiverAsync(new Dictionary<string, string> { [schemeVariable] = scheme, [secretVariable] = secret });

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain(schemeVariable.Replace("__Scheme", "__", StringComparison.Ordinal)));
        Assert.That(output, Does.Not.Contain(secret));
    }

    [Test]
    public async Task ValidSettings_TheProcessStartsAndAnswers()
    {
        // The counterpart of the failures above: the same base settings do start, so a failure means the bad setting.
        var (exitCode, output) = await RunReceiverAsync(new Dictionary<string, string>(), expectExit: false);

        Assert.That(exitCode, Is.Zero, output);
    }

    /// <summary>Starts the receiver with valid settings plus <paramref name="overrides"/>; returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunReceiverAsync(Dictionary<string, string> overrides, bool expectExit = true)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Webhooks.Receiver.dll");
        var port = 20000 + Random.Shared.Next(20000);
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var schema = TestSchema.Create();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = TestSchema.ConnectionString(TestEnvironment.Postgres, schema),
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMq,
            ["Webhooks__Providers__stripe__Scheme"] = "stripe",
            ["Webhooks__Providers__stripe__Secrets__0"] = ReceiverFactory.StripeSecret,
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (expectExit)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await process.WaitForExitAsync(timeout.Token);
                return (process.ExitCode, await stdout + await stderr);
            }

            using var client = new HttpClient();
            var up = await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return process.HasExited;
                }
            }, TimeSpan.FromSeconds(60));
            return (up && !process.HasExited ? 0 : 1, process.HasExited ? await stdout + await stderr : "");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            TestSchema.Drop(schema);
        }
    }
}
