namespace Webhooks.Tests.Infrastructure;

/// <summary>An order's status and money as stored: amounts in the currency's minor unit.</summary>
public sealed record PaymentRow(string Status, long? Amount, string? Currency, long AmountRefunded);
