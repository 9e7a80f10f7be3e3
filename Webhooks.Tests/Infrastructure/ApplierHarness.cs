using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.Orders;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// The processor's <see cref="GroupCommitOrderApplier"/> on its own, on a migrated schema of the
/// test's own, recording the batch sizes it reports. Its loop starts only with <see cref="StartAsync"/>,
/// so a test can queue events first and know which of them share a batch.
/// </summary>
public sealed class ApplierHarness : IAsyncDisposable
{
    private readonly ServiceProvider _metrics;
    private readonly ProcessorTelemetry _telemetry;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<int> _batches = new();

    private ApplierHarness(string connectionString, int batchSize)
    {
        ApplicationName = TestEnvironment.UniqueName("applier");
        DataSource = DatabaseServiceCollectionExtensions.CreateDataSource(
            new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationName }.ConnectionString);
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = _metrics.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "webhooks.apply.batch_size")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, events, _, _) => _batches.Enqueue(events));
        _listener.Start();
        _telemetry = new ProcessorTelemetry(meterFactory);
        Applier = new GroupCommitOrderApplier(
            DataSource,
            Options.Create(new ProcessorOptions { ApplyBatchSize = batchSize }),
            _telemetry,
            TimeProvider.System,
            DisputeAlerts,
            NullLogger<GroupCommitOrderApplier>.Instance);
    }

    public GroupCommitOrderApplier Applier { get; }

    /// <summary>Woken by the applier after a commit that recorded a dispute alert.</summary>
    public DisputeAlertSignal DisputeAlerts { get; } = new();

    /// <summary>The applier's connections carry this name in <c>pg_stat_activity</c>.</summary>
    public string ApplicationName { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The size of every batch taken so far, in order.</summary>
    public IReadOnlyList<int> Batches => [.. _batches];

    /// <summary>
    /// Migrates the schema (directly), then builds an applier that reaches it through
    /// <paramref name="connectionString"/> (e.g. a <see cref="TcpProxy"/>), or directly.
    /// </summary>
    public static async Task<ApplierHarness> CreateAsync(ProcessorSchema schema, string? connectionString = null, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(schema);
        await using (var migrationSource = DatabaseServiceCollectionExtensions.CreateDataSource(schema.ConnectionString))
        {
            var migrator = new DatabaseMigrator(
                migrationSource,
                Options.Create(new ConnectionStringsOptions { Postgres = schema.ConnectionString }),
                NullLogger<DatabaseMigrator>.Instance);
            await migrator.MigrateAsync(CancellationToken.None);
        }

        return new ApplierHarness(connectionString ?? schema.ConnectionString, batchSize);
    }

    public Task StartAsync() => Applier.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Applier.StopAsync(timeout.Token);
        }

        _listener.Dispose();
        _telemetry.Dispose();
        DisputeAlerts.Dispose();
        await _metrics.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
