using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// <c>--report-file PATH</c>: a machine-readable record of a run, for a harness that checks the
/// store afterwards: every delivery's event id and how it ended (with each attempt's answer), and
/// the status, dispute and amounts each order must end in. The summary is included as <c>--json</c> prints it.
/// </summary>
internal static class SimulationRecord
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task WriteAsync(string path, SimulationPlan plan, SimulationRun run, SimulationSummary summary, CancellationToken cancellationToken)
    {
        var record = new
        {
            summary,
            deliveries = run.Results.Select(r => new
            {
                eventId = r.Delivery.EventId,
                type = r.Delivery.Type,
                orderId = r.Delivery.OrderId,
                copy = r.Delivery.IsDuplicate,
                poison = r.Delivery.IsPoison,
                outcome = r.Outcome,
                // "no answer" with its reason: a refused connection is not a request cut short.
                answers = r.Answers.Select(a => a.StatusCode is null ? $"{a.Label}: {a.Detail}" : a.Label),
            }),
            orders = plan.Orders.Select(o => new
            {
                orderId = o.OrderId,
                lifecycle = o.Lifecycle.Name,
                expectedStatus = o.ExpectedStatus,
                expectedDispute = o.ExpectedDispute,
                amount = o.Payment.Amount,
                currency = o.Payment.Currency,
                expectedAmountRefunded = o.ExpectedAmountRefunded,
                lost = o.Lost,
                eventIds = run.Results.Where(r => r.Delivery.OrderId == o.OrderId && !r.Delivery.IsDuplicate).Select(r => r.Delivery.EventId),
            }),
        };

        // Written beside the target and moved into place, so a reader never sees half a file.
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, record, Options, cancellationToken);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
