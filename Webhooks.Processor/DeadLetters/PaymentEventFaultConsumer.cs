using Dapper;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Contracts;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.DeadLetters;

/// <summary>
/// Turns each fault of the consumer (published as the message goes to the dead-letter queue) into
/// a due alert row. Stored, not posted: the dispatcher groups many into one Slack post, and a
/// Slack outage cannot lose what is already in the table.
/// </summary>
public sealed class PaymentEventFaultConsumer(
    NpgsqlDataSource dataSource,
    TimeProvider timeProvider,
    IOptions<ProcessorOptions> options) : IConsumer<Fault<PaymentEventReceived>>
{
    // Slack shows a few lines of a reason; the whole exception is in the dead-letter queue's headers.
    private const int MaxReasonLength = 500;

    public async Task Consume(ConsumeContext<Fault<PaymentEventReceived>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fault = context.Message;
        var exception = fault.Exceptions?.FirstOrDefault();
        if (exception?.ExceptionType == typeof(TransientEventException).FullName)
        {
            // Published when the retry budget ran out on a transient failure: the message went back
            // to its queue, not to the dead-letter queue, so there is nothing to alert.
            return;
        }

        // One line: Npgsql's note that it left the detail out, and blank lines, would break Slack's list.
        var reason = FailureText.OneLine(exception?.Message) is { Length: > 0 } line ? line : "no reason was given";

        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dead_letter_alerts (fault_id, queue_name, message_id, provider, event_id, event_type, exception_type, reason, failed_at, recorded_at)
            VALUES (@faultId, @queueName, @messageId, @provider, @eventId, @eventType, @exceptionType, @reason, @failedAt, @recordedAt)
            ON CONFLICT (fault_id) DO NOTHING
            """,
            new
            {
                faultId = fault.FaultId,
                queueName = options.Value.QueueName,
                messageId = fault.FaultedMessageId,
                provider = fault.Message?.Provider,
                eventId = fault.Message?.EventId,
                eventType = fault.Message?.EventType,
                exceptionType = exception?.ExceptionType ?? "unknown",
                reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] + "…" : reason,
                failedAt = fault.Timestamp.ToUniversalTime(),
                recordedAt = timeProvider.GetUtcNow().ToUniversalTime(),
            },
            cancellationToken: context.CancellationToken));
    }
}
