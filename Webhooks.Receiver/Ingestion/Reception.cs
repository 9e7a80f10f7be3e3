using Microsoft.AspNetCore.Http.HttpResults;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Ingestion;

/// <summary>
/// How one request ended: the answer, and what the metrics and the log record of it. Each refusal of
/// the receive pipeline is one of these values; the endpoint records every outcome in one place.
/// </summary>
/// <param name="Provider">The provider's configured name, or <c>unknown</c>.</param>
/// <param name="Outcome">A <see cref="ReceiveOutcome"/>.</param>
/// <param name="Status">The HTTP status answered (0: none, the client left).</param>
/// <param name="Reason">Why it was refused, in one sentence for the log; for a stored event, its id.</param>
/// <param name="SignatureReason">The category of a signature rejection, a metric label (missing, malformed, expired, mismatch).</param>
/// <param name="Result">The answer itself.</param>
public sealed record Reception(
    string Provider,
    string Outcome,
    int Status,
    string? Reason,
    string? SignatureReason,
    Results<Ok<WebhookAck>, ProblemHttpResult, EmptyHttpResult> Result)
{
    public static Reception Refused(
        HttpContext context,
        string provider,
        string outcome,
        int status,
        string title,
        string detail,
        string? retryAfter = null,
        bool closeConnection = false,
        string? signatureReason = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (closeConnection)
        {
            // Refused before (or instead of) reading the whole body: the server never drains what a hostile or broken client still sends.
            context.Response.Headers.Connection = "close";
        }

        var reason = title == detail ? detail : $"{title}: {detail}";
        return new Reception(provider, outcome, status, reason, signatureReason, TypedResults.Problem(detail: detail, statusCode: status, title: title));
    }

    public static Reception Stored(string provider, WebhookAck ack, bool accepted)
    {
        ArgumentNullException.ThrowIfNull(ack);
        return new(provider, accepted ? ReceiveOutcome.Accepted : ReceiveOutcome.Duplicate, StatusCodes.Status200OK, ack.Id, null, TypedResults.Ok(ack));
    }

    public static Reception Abandoned(string provider) => new(provider, ReceiveOutcome.ClientAborted, 0, null, null, TypedResults.Empty);
}
