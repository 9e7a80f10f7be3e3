using System.Diagnostics;

namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// Runs the CLI as an operator does: a child process of its own (the <c>Webhooks.Cli.dll</c> built
/// beside the tests, as <c>./webhooks</c> runs it), its settings in environment variables, standard
/// input a pipe (never a terminal: <see cref="CliTerminal"/> gives it one).
/// </summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Webhooks.Cli.dll");

    public static Task<CliResult> RunAsync(CliSettings settings, params string[] args) => RunWithAsync(settings, stdin: null, environment: null, args);

    /// <param name="stdin">Written to standard input, which is then closed, as in <c>echo y | ./webhooks ...</c>; null: closed at once.</param>
    /// <param name="environment">Variables over the settings', e.g. <c>COLUMNS</c> or a broken setting.</param>
    public static async Task<CliResult> RunWithAsync(
        CliSettings settings, string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment(settings, environment))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"webhooks {string.Join(' ', args)} did not finish within 2 minutes: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The settings as the services' variables, plus <paramref name="extra"/>; the test run's own MSBuild and COLUMNS left out.</summary>
    internal static Dictionary<string, string?> Environment(CliSettings settings, IReadOnlyDictionary<string, string>? extra)
    {
        var variables = settings.ToEnvironment();
        variables["COLUMNS"] = null;
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return variables;
    }
}
