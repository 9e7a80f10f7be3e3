namespace Webhooks.Processor.Orders;

/// <summary>The text stored in <c>disputes.status</c> (and allowed by its CHECK constraint).</summary>
public static class DisputeStatusNames
{
    public static string ToDatabaseValue(this DisputeStatus status) => status switch
    {
        DisputeStatus.Open => "open",
        DisputeStatus.Won => "won",
        DisputeStatus.Lost => "lost",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a dispute status."),
    };
}
