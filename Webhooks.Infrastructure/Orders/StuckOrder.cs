namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// An order pending longer than the threshold, as the processor's alert, <c>orders stuck</c> and
/// <c>orders show</c> all see it: the order, the event that last set it, its alert state and its
/// <see cref="Diagnosis"/> (set by <see cref="StuckOrderQuery.DiagnoseAsync"/>).
/// </summary>
public sealed record StuckOrder
{
    public string OrderId { get; init; } = "";

    public string Status { get; init; } = "";

    public DateTime PendingSince { get; init; }

    public string? LastProvider { get; init; }

    public string? LastEventId { get; init; }

    public string? LastEventType { get; init; }

    /// <summary>Alerts posted about it since it became stuck; 0 when never alerted.</summary>
    public int AlertCount { get; init; }

    public DateTime? FirstAlertedAt { get; init; }

    public StuckOrderDiagnosis? Diagnosis { get; init; }

    public DateTimeOffset PendingSinceUtc => new(DateTime.SpecifyKind(PendingSince, DateTimeKind.Utc));

    public bool IsEscalation => AlertCount > 0;
}
