using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.Orders;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Benchmarks;

/// <summary>
/// The processor's applier alone, without the broker (<c>bench/processor-drain.sh --apply-only</c>):
/// <c>count</c> events for orders of four events each (created, failed, paid, refunded) applied
/// through <see cref="GroupCommitOrderApplier"/> by <c>concurrency</c> callers at once, as that many
/// concurrent messages would. Prints events/s and this process's CPU per event.
/// </summary>
internal static class ApplyProbe
{
    private static readonly (string Type, OrderStatus Status)[] Lifecycle =
        [("payment_intent.created", OrderStatus.Pending), ("payment_intent.payment_failed", OrderStatus.PaymentFailed),
         ("payment_intent.succeeded", OrderStatus.Paid), ("charge.refunded", OrderStatus.Refunded)];

    public static async Task RunAsync(string schema, int count, int concurrency)
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var connectionString = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ConnectionString;
        await using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource(connectionString);
        var connectionStrings = Options.Create(new ConnectionStringsOptions { Postgres = connectionString });
        await new DatabaseMigrator(dataSource, connectionStrings, NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        using var meters = new MeterFactory();
        using var telemetry = new ProcessorTelemetry(meters);
        using var disputeAlerts = new DisputeAlertSignal();
        var applier = new GroupCommitOrderApplier(
            dataSource, Options.Create(new ProcessorOptions()), telemetry, TimeProvider.System, disputeAlerts, NullLogger<GroupCommitOrderApplier>.Instance);
        await applier.StartAsync(CancellationToken.None);
        var run = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        var events = Enumerable.Range(0, count).Select(i => new OrderEvent(
            "stripe",
            $"evt_apply_{run}_{i}",
            Lifecycle[i % 4].Type,
            DateTimeOffset.UtcNow,
            $"order_apply_{run}_{i / 4}",
            Lifecycle[i % 4].Status,
            null)).ToList();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await applier.ApplyAsync(events[i], CancellationToken.None);
            }
        }));
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await applier.StopAsync(CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"applied {count} events by {concurrency} callers in {watch.Elapsed.TotalSeconds:0.00} s: "
            + $"{count / watch.Elapsed.TotalSeconds:0}/s, {cpu.TotalMilliseconds * 1000 / count:0} µs CPU each"));
    }

    private sealed class MeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
