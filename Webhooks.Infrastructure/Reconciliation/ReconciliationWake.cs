using Webhooks.Infrastructure.Hosting;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// Wakes the processor's reconciliation pass before its interval: the stuck-order scan found an order the
/// gateway calls paid while no stored event says so, so a missed event is likely waiting to be fetched.
/// </summary>
public sealed class ReconciliationWake : JobWake;
