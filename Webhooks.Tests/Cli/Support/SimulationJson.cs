using System.Text.Json;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Reads the summary <c>simulate --json</c> prints.</summary>
public static class SimulationJson
{
    public static int Count(this JsonElement summary, string name) => summary.GetProperty(name).GetInt32();

    public static List<string> Strings(this JsonElement summary, string name) =>
        [.. summary.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Each order of the run and the status the simulator says it must end in.</summary>
    public static Dictionary<string, string> ExpectedStatuses(this JsonElement summary) =>
        summary.GetProperty("expectedOrders").EnumerateArray()
            .ToDictionary(o => o.GetProperty("orderId").GetString()!, o => o.GetProperty("expectedStatus").GetString()!);

    /// <summary>Each disputed order of the run and how its dispute must end (open, won or lost).</summary>
    public static Dictionary<string, string> ExpectedDisputes(this JsonElement summary) =>
        summary.GetProperty("expectedOrders").EnumerateArray()
            .Where(o => o.GetProperty("expectedDispute").ValueKind == JsonValueKind.String)
            .ToDictionary(o => o.GetProperty("orderId").GetString()!, o => o.GetProperty("expectedDispute").GetString()!);

    /// <summary>Each order's amount, currency and amount refunded at the end, in minor units.</summary>
    public static Dictionary<string, (long Amount, string Currency, long Refunded)> ExpectedAmounts(this JsonElement summary) =>
        summary.GetProperty("expectedOrders").EnumerateArray().ToDictionary(
            o => o.GetProperty("orderId").GetString()!,
            o => (o.GetProperty("amount").GetInt64(), o.GetProperty("currency").GetString()!, o.GetProperty("expectedAmountRefunded").GetInt64()));

    public static int Answers(this JsonElement summary, string status) =>
        summary.GetProperty("answers").TryGetProperty(status, out var count) ? count.GetInt32() : 0;
}
