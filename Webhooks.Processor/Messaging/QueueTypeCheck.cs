using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// Runs at start, before the bus declares its queues. A queue's type is fixed when it is first declared,
/// and RabbitMQ refuses every later declaration of another type, so a queue of the processor's left
/// with the other type than <c>Processor__QueueType</c> would keep the bus from ever consuming. An empty,
/// unused one is deleted and the bus declares it anew with the right type (what is published meanwhile
/// no queue takes: the receivers' outbox keeps it and publishes it again). One that holds messages, or
/// that another processor still consumes, stops the process here, naming the setting and the queue.
/// </summary>
public sealed partial class QueueTypeCheck(
    IOptions<ConnectionStringsOptions> connectionStrings,
    IOptions<ProcessorOptions> options,
    ILogger<QueueTypeCheck> logger) : IHostedService
{
    private const ushort PreconditionFailed = 406;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var processor = options.Value;
        IConnection connection;
        try
        {
            connection = await RabbitMqAddress.Parse(connectionStrings.Value.RabbitMq).ConnectAsync("webhooks-processor queue check", cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            // The bus waits for the broker on its own; the check is only worth a start that can make it.
            LogSkipped(ex.InnerException?.Message ?? ex.Message);
            return;
        }

        await using (connection)
        {
            var refusals = new List<string>();
            foreach (var queue in ProcessorQueues.All(processor))
            {
                if (await CheckAsync(connection, queue, processor.QueueType, cancellationToken) is { } refusal)
                {
                    refusals.Add(refusal);
                }
            }

            if (refusals.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Processor__QueueType is '{processor.QueueType}', but {string.Join("; ", refusals)}. A queue's type cannot change in place: "
                    + "drain the queue first (README, Scale out: switching the queue type), or keep the type it has.");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Null when the queue is absent, of the right type, or was empty and is deleted; else why it stops the start.</summary>
    private async Task<string?> CheckAsync(IConnection connection, string queue, string queueType, CancellationToken cancellationToken)
    {
        // A refused declaration closes its channel: one channel per question.
        if (await DeclareAsync(connection, queue, passive: true, queueType, cancellationToken) is not { Ok: { } existing })
        {
            return null;
        }

        var declared = await DeclareAsync(connection, queue, passive: false, queueType, cancellationToken);
        if (declared.Ok is not null || declared.Refusal?.Contains("x-queue-type", StringComparison.Ordinal) != true)
        {
            // Matching, or different in some other way the bus will report itself.
            return null;
        }

        if (existing.MessageCount == 0 && existing.ConsumerCount == 0)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeleteAsync(queue, ifUnused: true, ifEmpty: true, cancellationToken: cancellationToken);
            LogRecreated(queue, queueType);
            return null;
        }

        return $"queue '{queue}' is of another type and holds {existing.MessageCount} messages for {existing.ConsumerCount} consumers";
    }

    private static async Task<(QueueDeclareOk? Ok, string? Refusal)> DeclareAsync(
        IConnection connection, string queue, bool passive, string queueType, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return passive
                ? (await channel.QueueDeclarePassiveAsync(queue, cancellationToken), null)
                : (await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, ProcessorQueues.Arguments(queueType),
                    cancellationToken: cancellationToken), null);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason && (passive || reason.ReplyCode == PreconditionFailed))
        {
            return (null, reason.ReplyText);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Queue {Queue} was empty and of another type than Processor__QueueType: deleted, to be declared as a {QueueType} queue")]
    private partial void LogRecreated(string queue, string queueType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue types were not checked at start, RabbitMQ did not answer: {Reason}")]
    private partial void LogSkipped(string reason);
}
