using System.Collections.Frozen;
using System.Text.Json;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Reads a <c>charge.dispute.*</c> event's dispute object. The gateway's statuses rank as a dispute
/// moves (an inquiry, <c>warning_*</c>, may become a chargeback; evidence turns <c>needs_response</c>
/// into <c>under_review</c>; every closed status is last), so that a late <c>created</c> or
/// <c>updated</c> never reopens a closed dispute.
/// </summary>
internal static class DisputeReader
{
    public const string Created = "charge.dispute.created";
    public const string Updated = "charge.dispute.updated";
    public const string Closed = "charge.dispute.closed";
    public const string FundsWithdrawn = "charge.dispute.funds_withdrawn";
    public const string FundsReinstated = "charge.dispute.funds_reinstated";

    private const int ClosedRank = 4;
    private const int MaxStatusLength = 50;
    private const int MaxReasonLength = 100;

    public static IReadOnlySet<string> Types { get; } = FrozenSet.Create(StringComparer.Ordinal, Created, Updated, Closed, FundsWithdrawn, FundsReinstated);

    private static readonly FrozenDictionary<string, int> Ranks = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["warning_needs_response"] = 0,
        ["warning_under_review"] = 1,
        ["needs_response"] = 2,
        ["under_review"] = 3,
        ["warning_closed"] = ClosedRank,
        ["won"] = ClosedRank,
        ["lost"] = ClosedRank,
        ["prevented"] = ClosedRank,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The dispute's change, or null when the object has no usable id.</summary>
    public static DisputeChange? Read(JsonElement dispute, string type, DateTimeOffset madeAt)
    {
        if (StripeObject.Id(dispute, "id") is not { } id)
        {
            return null;
        }

        var gatewayStatus = StripeObject.Text(dispute, "status", MaxStatusLength);
        var rank = gatewayStatus is not null && Ranks.TryGetValue(gatewayStatus, out var known) ? known : 0;
        var closed = type == Closed || rank == ClosedRank;
        // The contract: closed is won or lost as the object's status says; an inquiry closed without a
        // chargeback (warning_closed) leaves the money with the shop, as a won dispute does.
        var status = !closed ? DisputeStatus.Open : gatewayStatus == "lost" ? DisputeStatus.Lost : DisputeStatus.Won;
        var amount = StripeObject.Amount(dispute, "amount");
        var currency = StripeObject.Currency(dispute, "currency");
        var evidence = StripeObject.Child(dispute, "evidence_details");
        return new DisputeChange(
            id,
            status,
            gatewayStatus,
            EffectVersion.Of(closed ? ClosedRank : rank, madeAt),
            currency is null ? null : amount,
            amount is null ? null : currency,
            StripeObject.Text(dispute, "reason", MaxReasonLength),
            evidence is { } details ? StripeObject.UnixTime(details, "due_by") : null,
            StripeObject.UnixTime(dispute, "created"),
            StripeObject.Id(dispute, "charge"),
            type == FundsWithdrawn ? madeAt : null,
            type == FundsReinstated ? madeAt : null,
            closed ? madeAt : null);
    }
}
