namespace Webhooks.Processor.Orders;

/// <summary>Applies one event to its order, exactly once per provider and event id.</summary>
public interface IOrderEventApplier
{
    Task<ApplyResult> ApplyAsync(OrderEvent orderEvent, CancellationToken cancellationToken);
}
