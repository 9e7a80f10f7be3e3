using Webhooks.Cli;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Runs the CLI in this process through its entry point, with captured standard streams.</summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(CliSettings settings, params string[] args) => RunWithInputAsync(settings, input: null, args);

    /// <summary>
    /// Runs with <paramref name="input"/> typed at a terminal; null is a script's empty standard input,
    /// which is no terminal. (The real process's terminal and pipes: <see cref="CliProcess"/> and <see cref="CliTerminal"/>.)
    /// </summary>
    public static Task<CliResult> RunWithInputAsync(CliSettings settings, string? input, params string[] args) => RunCoreAsync(settings, input, null, args);

    /// <summary>Runs with the CLI's HTTP requests (<c>simulate</c>) going through <paramref name="handler"/>, e.g. an in-memory receiver's.</summary>
    public static Task<CliResult> RunWithHttpAsync(CliSettings settings, HttpMessageHandler handler, params string[] args) =>
        RunCoreAsync(settings, null, handler, args);

    private static async Task<CliResult> RunCoreAsync(CliSettings settings, string? input, HttpMessageHandler? handler, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stdin = new StringReader(input ?? "");
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            In = stdin,
            InIsTerminal = input is not null,
            Settings = settings.ToConfiguration(),
            HttpHandler = handler,
        };

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exitCode = await CliApplication.RunAsync(args, environment, timeout.Token);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
