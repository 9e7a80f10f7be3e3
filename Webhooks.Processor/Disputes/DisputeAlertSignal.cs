using Webhooks.Infrastructure.Hosting;

namespace Webhooks.Processor.Disputes;

/// <summary>
/// Wakes the <see cref="DisputeAlertDispatcher"/> when a commit recorded a dispute alert, so that it is
/// posted at once instead of on the next round.
/// </summary>
public sealed class DisputeAlertSignal : JobWake;
