using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for requests HttpClient refuses to make: repeated or enormous
/// headers, broken framing, bodies that trickle or stop, any local loopback address as the sender.
/// </summary>
public static class RawHttp
{
    /// <summary>A request head (request line and headers, each line without its CRLF) and body as bytes.</summary>
    public static byte[] Request(string method, string target, IEnumerable<string> headers, byte[]? body = null)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: localhost\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Sends the bytes at once and reads the first response.</summary>
    /// <param name="listenAfter">Keep reading this long after the first response (or until the server closes), into <see cref="RawResponse.After"/>.</param>
    public static Task<RawResponse> SendAsync(Uri server, byte[] request, IPAddress? from = null, TimeSpan? timeout = null, TimeSpan? listenAfter = null) =>
        ExchangeAsync(server, (stream, ct) => stream.WriteAsync(request, ct).AsTask(), from, timeout, listenAfter);

    /// <summary>
    /// Connects from <paramref name="from"/>, sends <paramref name="partialRequest"/> and leaves the
    /// connection open with the rest never sent; the caller disposes the socket to hang up.
    /// </summary>
    public static async Task<Socket> OpenStalledAsync(Uri server, byte[] partialRequest, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await socket.ConnectAsync(IPAddress.Parse(server.Host), server.Port);
        await socket.SendAsync(partialRequest);
        return socket;
    }

    /// <summary>
    /// Runs <paramref name="write"/> and reads the first response at the same time, so a server that
    /// answers before the request is complete (a timeout, a limit) is heard. Write failures after the
    /// server closed are expected and ignored.
    /// </summary>
    public static async Task<RawResponse> ExchangeAsync(
        Uri server,
        Func<NetworkStream, CancellationToken, Task> write,
        IPAddress? from = null,
        TimeSpan? timeout = null,
        TimeSpan? listenAfter = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await socket.ConnectAsync(IPAddress.Parse(server.Host), server.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var writing = Task.Run(async () =>
        {
            try
            {
                await write(stream, cancel.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server may close while we are still sending: that is its answer, read below.
            }
        });

        RawResponse response;
        try
        {
            var received = new List<byte>();
            response = await ReadResponseAsync(stream, received, clock, cancel.Token);
            if (listenAfter is { } listen && response.Status is not null)
            {
                using var listening = new CancellationTokenSource(listen);
                var chunk = new byte[8192];
                int read;
                try
                {
                    while ((read = await ReadSomeAsync(stream, chunk, listening.Token)) > 0)
                    {
                        received.AddRange(chunk.AsSpan(0, read));
                    }
                }
                catch (OperationCanceledException)
                {
                    // Listened long enough; whatever came is in the buffer.
                }

                response = response with { After = Encoding.Latin1.GetString([.. received]) };
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No answer and no close within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s.");
        }
        finally
        {
            await cancel.CancelAsync();
        }

        socket.Close();
        await writing;
        return response;
    }

    /// <summary>Reads the first response; what arrived beyond it is left in <paramref name="buffer"/>.</summary>
    private static async Task<RawResponse> ReadResponseAsync(NetworkStream stream, List<byte> buffer, Stopwatch clock, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var read = await ReadSomeAsync(stream, chunk, cancellationToken);
            if (read == 0)
            {
                return new RawResponse(null, new Dictionary<string, string>(), Encoding.Latin1.GetString([.. buffer]), clock.Elapsed);
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var lines = Encoding.Latin1.GetString([.. buffer], 0, headEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = buffer.Skip(headEnd + 4).ToList();
        buffer.Clear();
        if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            var length = int.Parse(lengthText, CultureInfo.InvariantCulture);
            while (body.Count < length)
            {
                var read = await ReadSomeAsync(stream, chunk, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                body.AddRange(chunk.AsSpan(0, read));
            }

            if (body.Count > length)
            {
                buffer.AddRange(body.Skip(length));
                body.RemoveRange(length, body.Count - length);
            }
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            // Enough for the small problem documents the receiver writes: read to the last chunk.
            int end;
            while ((end = IndexOf(body, "0\r\n\r\n"u8)) < 0)
            {
                var read = await ReadSomeAsync(stream, chunk, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                body.AddRange(chunk.AsSpan(0, read));
            }

            if (end >= 0 && end + 5 < body.Count)
            {
                buffer.AddRange(body.Skip(end + 5));
            }

            body = Unchunk(body);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString([.. body]), clock.Elapsed);
    }

    private static async Task<int> ReadSomeAsync(NetworkStream stream, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(chunk, cancellationToken);
        }
        catch (IOException)
        {
            // A reset after (or instead of) the answer: the same as a close for our purposes.
            return 0;
        }
    }

    private static List<byte> Unchunk(List<byte> chunked)
    {
        var result = new List<byte>();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOf(chunked, "\r\n"u8, position);
            if (lineEnd < 0)
            {
                return result;
            }

            var sizeLine = Encoding.Latin1.GetString([.. chunked.GetRange(position, lineEnd - position)]);
            var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return result;
            }

            result.AddRange(chunked.GetRange(lineEnd + 2, size));
            position = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle, int start = 0)
    {
        for (var i = start; i <= haystack.Count - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
