using System.Net;
using System.Net.Sockets;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder in front of a real server, to take it away from the code under test
/// without stopping it for every other test: <see cref="Refuse"/> drops and refuses connections
/// (a stopped server), <see cref="Blackhole"/> accepts and never answers (a hung one).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private volatile ProxyMode _mode = ProxyMode.Forward;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    private enum ProxyMode
    {
        Forward,
        Refuse,
        Blackhole,
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Forward() => _mode = ProxyMode.Forward;

    public void Refuse()
    {
        _mode = ProxyMode.Refuse;
        CloseAll();
    }

    public void Blackhole()
    {
        _mode = ProxyMode.Blackhole;
        CloseAll();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseAll();
        _stop.Dispose();
    }

    private void CloseAll()
    {
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            switch (_mode)
            {
                case ProxyMode.Refuse:
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    break;
                case ProxyMode.Blackhole:
                    lock (_gate)
                    {
                        _open.Add(client);
                    }

                    break;
                default:
                    _ = ForwardAsync(client);
                    break;
            }
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        lock (_gate)
        {
            _open.Add(client);
            _open.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var a = client.GetStream();
            var b = upstream.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
        }
        catch (Exception)
        {
            // The proxy cut the connection on purpose, or a side closed it.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
