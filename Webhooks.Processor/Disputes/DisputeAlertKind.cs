namespace Webhooks.Processor.Disputes;

/// <summary>The kinds of <c>dispute_alerts</c> rows, at most one of each per dispute.</summary>
public static class DisputeAlertKind
{
    /// <summary>A dispute became known while open: the shop must answer before its deadline.</summary>
    public const string Opened = "opened";

    /// <summary>The dispute closed as lost: the money went back to the customer.</summary>
    public const string Lost = "lost";

    /// <summary>Still open with its evidence deadline within <c>Disputes__DeadlineWarning</c>.</summary>
    public const string Deadline = "deadline";
}
