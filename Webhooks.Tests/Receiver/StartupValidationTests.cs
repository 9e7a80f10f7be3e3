using System.Diagnostics;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>A broken setting stops the receiver at start, and the message names the variable to fix.</summary>
public class StartupValidationTests
{
    [TestCase("Webhooks:Providers:paypal:Scheme", "stripe", "Webhooks__Providers__paypal__Secrets__0")]
    [TestCase("Webhooks:Providers:paypal:Scheme", "rot13", "Webhooks__Providers__paypal__Scheme")]
    [TestCase("Webhooks:Providers:stripe:ToleranceSeconds", "-5", "Webhooks__Providers__stripe__ToleranceSeconds")]
    [TestCase("Webhooks:Providers:standard:Secrets:0", "whsec_***not base64***", "Webhooks__Providers__standard__Secrets__0")]
    [TestCase("Webhooks:Providers:github:IdHeader", "", "Webhooks__Providers__github__IdHeader")]
    [TestCase("Webhooks:MaxBodyBytes", "0", "Webhooks__MaxBodyBytes")]
    [TestCase("ConnectionStrings:RabbitMq", "http://localhost:5672", "ConnectionStrings__RabbitMq")]
    [TestCase("ConnectionStrings:Postgres", "this is not a connection string", "ConnectionStrings__Postgres")]
    [TestCase("Broker:EventExchange", "bad exchange name!", "Broker__EventExchange")]
    public void BadSetting_StopsStart_NamingTheSetting(string key, string value, string expectedName)
    {
        using var factory = new ReceiverFactory(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(Flatten(failure!), Does.Contain(expectedName));
    }

    [Test]
    public void SecretsNeverAppearInAValidationMessage()
    {
        using var factory = new ReceiverFactory(new Dictionary<string, string?>
        {
            ["Webhooks:Providers:standard:Secrets:0"] = "whsec_***not base64 but secret-ish***",
        });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(Flatten(failure!), Does.Not.Contain("secret-ish"));
    }

    [Test]
    public async Task ReceiverProcess_ProviderWithoutSecret_ExitsNamingTheSetting()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Webhooks.Receiver.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Postgres"] = TestEnvironment.Postgres;
        start.Environment["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMq;
        start.Environment["Webhooks__Providers__stripe__Scheme"] = "stripe";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(await stdout + await stderr, Does.Contain("Webhooks__Providers__stripe__Secrets__0"));
    }

    private static string Flatten(Exception exception)
    {
        var text = exception.ToString();
        if (exception is AggregateException aggregate)
        {
            text += string.Join('\n', aggregate.Flatten().InnerExceptions.Select(e => e.ToString()));
        }

        return text;
    }
}
