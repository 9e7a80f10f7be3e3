using System.Diagnostics;
using System.Text;

namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// The CLI as a real process on a real terminal: a pseudo-terminal made by <c>script</c>
/// (util-linux), so that standard input is a terminal as when a person types, and Ctrl-C
/// (<see cref="CtrlC"/>) reaches the process as the terminal's interrupt. Standard output and error
/// both arrive in <see cref="Output"/>, with what was typed echoed.
/// </summary>
public sealed class CliTerminal : IAsyncDisposable
{
    /// <summary>The terminal's interrupt character: a terminal turns it into SIGINT for the process in front.</summary>
    public const string CtrlC = "\u0003";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task _reading;

    private CliTerminal(Process process)
    {
        _process = process;
        _reading = ReadAsync();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static CliTerminal Start(CliSettings settings, params string[] args)
    {
        var command = string.Join(' ', new[] { "exec", "dotnet", CliProcess.Dll }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("script", ["--quiet", "--return", "--command", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in CliProcess.Environment(settings, null))
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

        start.Environment["SHELL"] = "/bin/sh";
        return new CliTerminal(Process.Start(start)!);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; false after the timeout.</summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (TimeProvider.System.GetUtcNow() > deadline || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50);
        }

        return true;
    }

    public async Task TypeAsync(string keys)
    {
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await _reading;
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task ReadAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
        {
            lock (_output)
            {
                _output.Append(buffer, 0, read);
            }
        }
    }
}
