namespace Webhooks.Processor.Orders;

/// <summary>
/// The money an event says about its order's payment, in the currency's minor unit (integers, never
/// floating point). <see cref="Amount"/> and <see cref="Currency"/> come together, with the
/// <see cref="EffectVersion"/> that decides whether they replace the stored ones; <see cref="AmountRefunded"/>
/// only ever grows (the highest seen is kept).
/// </summary>
public sealed record PaymentAmounts(long? Amount, string? Currency, long? Version, long? AmountRefunded);
