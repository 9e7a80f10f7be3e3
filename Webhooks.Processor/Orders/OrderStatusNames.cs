namespace Webhooks.Processor.Orders;

/// <summary>The text stored in <c>orders.status</c> (and allowed by its CHECK constraint).</summary>
public static class OrderStatusNames
{
    /// <summary>Every status's name, lowest rank first: how SQL compares ranks (<c>array_position</c>).</summary>
    public static IReadOnlyList<string> InRankOrder { get; } =
        [.. Enum.GetValues<OrderStatus>().Order().Select(ToDatabaseValue)];

    public static string ToDatabaseValue(this OrderStatus status) => status switch
    {
        OrderStatus.Pending => "pending",
        OrderStatus.PaymentFailed => "payment_failed",
        OrderStatus.Canceled => "canceled",
        OrderStatus.Paid => "paid",
        OrderStatus.PartiallyRefunded => "partially_refunded",
        OrderStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an order status."),
    };

    public static OrderStatus Parse(string value) => value switch
    {
        "pending" => OrderStatus.Pending,
        "payment_failed" => OrderStatus.PaymentFailed,
        "canceled" => OrderStatus.Canceled,
        "paid" => OrderStatus.Paid,
        "partially_refunded" => OrderStatus.PartiallyRefunded,
        "refunded" => OrderStatus.Refunded,
        _ => throw new InvalidOperationException($"orders.status holds '{value}', which is not an order status."),
    };
}
