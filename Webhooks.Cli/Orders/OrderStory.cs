using Webhooks.Infrastructure.Orders;

namespace Webhooks.Cli.Orders;

/// <summary>
/// Everything <c>orders show</c> tells about one order: the row, its dispute, its events, the alerts about
/// it and, while pending, its diagnosis.
/// </summary>
internal sealed record OrderStory(
    OrderRow? Order,
    DisputeSummary? Dispute,
    IReadOnlyList<OrderEventRecord> Events,
    IReadOnlyList<OrderAlert> Alerts,
    StuckOrderDiagnosis? Diagnosis);
