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

    public static int Answers(this JsonElement summary, string status) =>
        summary.GetProperty("answers").TryGetProperty(status, out var count) ? count.GetInt32() : 0;
}
