using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Webhooks.Receiver.Ingestion;

/// <summary>Reads the raw body into memory, never more than the limit (declared or chunked) and never for longer than the timeout.</summary>
public static class RequestBodyReader
{
    /// <summary>The body's exact bytes, or the reason there are none.</summary>
    /// <param name="timeout">Longest time for the whole body: a slow client otherwise holds memory and a slot as long as it likes.</param>
    public static async Task<BodyRead> ReadAsync(HttpRequest request, long maxBytes, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return BodyRead.Failed(BodyReadStatus.TooLarge);
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Kestrel stops a chunked body at this size as well; the check below covers other servers.
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        using var deadline = new CancellationTokenSource(timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return BodyRead.Failed(BodyReadStatus.TooLarge);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), linked.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return BodyRead.Failed(BodyReadStatus.TooLarge);
                }
            }

            return BodyRead.Of(buffer.AsSpan(0, length).ToArray());
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's verdicts on the body: too large, slower than its minimum rate, or broken framing.
            return BodyRead.Failed(ex.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => BodyReadStatus.TooLarge,
                StatusCodes.Status408RequestTimeout => BodyReadStatus.TimedOut,
                _ => BodyReadStatus.Malformed,
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return BodyRead.Failed(BodyReadStatus.TimedOut);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested || ex is IOException)
        {
            // The connection is gone (Kestrel reports a reset as an IOException): nobody is left to answer.
            return BodyRead.Failed(BodyReadStatus.Aborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
