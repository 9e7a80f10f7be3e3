using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A service as operators run it: <c>dotnet Webhooks.Receiver.dll</c> or <c>Webhooks.Processor.dll</c>
/// (built beside the tests) in a process of its own, configured by environment variables only, on a
/// port of its own; every line it writes to standard output and error is kept.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Starts <paramref name="assembly"/> (e.g. <c>Webhooks.Processor</c>) and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var service = Start(assembly, environment);
        var ready = await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await service.Http.GetAsync(new Uri("health/ready", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return service._process.HasExited;
            }
        }, TimeSpan.FromSeconds(90));
        if (!ready || service._process.HasExited)
        {
            await service.DisposeAsync();
            Assert.Fail($"{assembly} did not become ready:\n{string.Join('\n', service.Lines)}");
        }

        return service;
    }

    /// <summary>Starts <paramref name="assembly"/> expecting it to stop on its own (a broken setting); its exit code and every line it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string assembly, IReadOnlyDictionary<string, string> environment)
    {
        await using var service = Start(assembly, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service._process.WaitForExitAsync(timeout.Token);
        return (service._process.ExitCode, string.Join('\n', service.Lines));
    }

    private static ServiceProcess Start(string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServiceProcess(Process.Start(start)!, port);
    }

    /// <summary>Waits until <paramref name="count"/> lines match; returns whether they did within the timeout.</summary>
    public Task<bool> WaitForLinesAsync(Func<string, bool> match, int count, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Task.FromResult(_lines.Count(match) >= count), timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            // Also for the run-wide check that no secret reaches a log.
            CapturedLogs.AllLines.Enqueue(line);
        }
    }
}
