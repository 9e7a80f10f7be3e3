using System.Diagnostics;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// Publishes stored events in batches: every message of a batch goes out on one channel, mandatory
/// and persistent, before any confirm is awaited, so the broker's confirms arrive pipelined. An
/// event counts as published only when the broker confirmed a routed message: one that no queue
/// would take comes back as returned and counts as not published. Messages are MassTransit
/// envelopes (<see cref="MassTransitEnvelope"/>) with the stored event's stable message id.
/// </summary>
public sealed class EventPublisher(
    PublishChannels channels,
    IOptions<OutboxOptions> options,
    ReceiverTelemetry telemetry,
    TimeProvider clock)
{
    public const string FastLane = "fast_lane";
    public const string Relay = "relay";

    private readonly TimeSpan _timeout = options.Value.PublishTimeout;
    private readonly MassTransitEnvelope _envelope = new(channels.DestinationAddress);

    /// <summary>Per event, null when published, else why not (a sentence without secrets).</summary>
    /// <param name="path"><see cref="FastLane"/> or <see cref="Relay"/>, for the metrics and traces.</param>
    public async Task<string?[]> PublishAsync(IReadOnlyList<OutgoingEvent> events, string path, CancellationToken cancellationToken)
    {
        var results = new string?[events.Count];
        if (events.Count == 0)
        {
            return results;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        IChannel channel;
        try
        {
            channel = await channels.RentAsync(timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Array.Fill(results, ex is OperationCanceledException ? $"No connection to the broker within {_timeout.TotalSeconds:0.#} s." : Describe(ex));
            return results;
        }

        var activities = new Activity?[events.Count];
        var confirms = new Task[events.Count];
        try
        {
            var ambient = Activity.Current;
            var sentTime = clock.GetUtcNow();
            for (var i = 0; i < events.Count; i++)
            {
                var outgoing = events[i];
                var activity = activities[i] = StartActivity(outgoing, path);
                Activity.Current = ambient;
                var traceParent = activity?.Id ?? outgoing.TraceParent;
                var properties = new BasicProperties
                {
                    ContentType = MassTransitEnvelope.ContentType,
                    MessageId = outgoing.MessageId.ToString(),
                    Persistent = true,
                    Headers = traceParent is null ? null : new Dictionary<string, object?> { [MassTransitEnvelope.ActivityIdHeader] = traceParent },
                };
                var body = _envelope.Write(outgoing with { TraceParent = traceParent }, sentTime);
                try
                {
                    confirms[i] = channel.BasicPublishAsync(channels.Exchange, "", mandatory: true, properties, body, timeout.Token).AsTask();
                }
                catch (Exception ex)
                {
                    confirms[i] = Task.FromException(ex);
                }
            }

            for (var i = 0; i < events.Count; i++)
            {
                try
                {
                    await confirms[i];
                    telemetry.Published(path, clock.GetUtcNow() - events[i].Message.ReceivedAt);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    results[i] = ex is OperationCanceledException ? $"No confirm from the broker within {_timeout.TotalSeconds:0.#} s." : Describe(ex);
                    activities[i]?.SetStatus(ActivityStatusCode.Error, results[i]);
                }
            }
        }
        finally
        {
            channels.Return(channel);
            foreach (var activity in activities)
            {
                activity?.Dispose();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    private static Activity? StartActivity(in OutgoingEvent outgoing, string path)
    {
        ActivityContext.TryParse(outgoing.TraceParent, null, out var parent);
        var activity = ReceiverTelemetry.Source.StartActivity("outbox publish", ActivityKind.Producer, parent);
        activity?.SetTag("webhooks.provider", outgoing.Message.Provider);
        activity?.SetTag("webhooks.event_id", outgoing.Message.EventId);
        activity?.SetTag("webhooks.publish_path", path);
        return activity;
    }

    private static string Describe(Exception exception) => exception switch
    {
        PublishException { IsReturn: true } => "The broker returned the message: no queue is bound to the event exchange yet (has a processor ever started?).",
        PublishException => "The broker refused the message (nack).",
        AlreadyClosedException closed => $"The broker connection closed: {closed.ShutdownReason?.ReplyText ?? closed.Message}",
        BrokerUnreachableException unreachable => $"The broker is unreachable: {(unreachable.InnerException ?? unreachable).Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
