using System.Runtime.ExceptionServices;
using MassTransit;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// The first step of an endpoint's error pipe: a message that failed for a transient reason, after
/// its retries, is not moved to the dead-letter queue. The failure is rethrown instead, and the
/// transport hands the message back to its queue (RabbitMQ: nack with requeue), where it waits for
/// the next attempt. Only what fails for good goes on to the default steps (fault, <c>_error</c>).
/// </summary>
internal sealed partial class RequeueTransientFailureFilter(ILogger logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (TransientFailure.IsTransient(context.Exception))
        {
            var cause = context.Exception is TransientEventException { InnerException: { } inner } ? inner : context.Exception;
            LogRequeued(context.GetMessageId(), context.InputAddress?.AbsolutePath.TrimStart('/'), cause.GetType().Name, cause.Message);
            ExceptionDispatchInfo.Capture(context.Exception).Throw();
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("requeueTransientFailures");

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Message {MessageId} went back to queue {Queue} after its retries, not to the dead-letter queue: {ExceptionType}: {Reason}")]
    private partial void LogRequeued(Guid? messageId, string? queue, string exceptionType, string reason);
}
