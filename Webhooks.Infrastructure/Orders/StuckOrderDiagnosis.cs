namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// A stuck order's diagnosis: its kind, one sentence for people (the alert, <c>orders stuck</c>,
/// <c>orders show</c> and the <c>diagnosis</c> of <c>--json</c> all show this same sentence), and the
/// command that fixes it when there is one.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Sentence">Starts with the kind in words ("dead-lettered: ...").</param>
/// <param name="Command">The exact command to run, e.g. <c>./webhooks dlq replay &lt;message-id&gt;</c>; null when none fixes it.</param>
/// <param name="AwaitsProcessing">An event for it waits for the processor: it is not alerted as stuck (a backlog is alerted on its own).</param>
public sealed record StuckOrderDiagnosis(DiagnosisKind Kind, string Sentence, string? Command, bool AwaitsProcessing)
{
    /// <summary>Whether the stuck-order alert names the order (not while an event for it only waits to be processed).</summary>
    public bool IsAlerted => !AwaitsProcessing;
}
