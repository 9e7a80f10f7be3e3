using System.Diagnostics;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Stops and starts the real test broker's application (rabbitmqctl stop_app / start_app).</summary>
public static class BrokerControl
{
    public static Task StopAsync() => RunAsync("stop_app");

    public static Task StartAsync() => RunAsync("start_app");

    private static async Task RunAsync(string command)
    {
        var ctl = TestEnvironment.RabbitMqCtl
            ?? throw new InvalidOperationException(
                "WEBHOOKS_RABBITMQCTL is not set: run the tests through deploy/local/test.sh, or eval \"$(deploy/local/services.sh env)\" first.");
        using var process = Process.Start(new ProcessStartInfo(ctl, command) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed ({process.ExitCode}): {await output} {await error}");
        }
    }
}
