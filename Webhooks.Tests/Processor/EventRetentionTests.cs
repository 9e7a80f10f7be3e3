using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhooks.Processor.Retention;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// Retention on a store of realistic size in the test's own schema, run directly through the real
/// processor's <see cref="EventRetention"/> on a fake clock.
/// </summary>
public class EventRetentionTests
{
    private const int RealisticVolume = 200_000;
    private const int SmallVolume = 20_000;
    private static readonly DateTimeOffset Now = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now - TimeSpan.FromDays(90);
    private ProcessorSchema _schema = null!;
    private RetentionStore _store = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task CreateSchemaAndClock()
    {
        _clock = new FakeTimeProvider(Now);
        _schema = await ProcessorSchema.CreateAsync();
        _store = new RetentionStore(_schema.ConnectionString);
    }

    [TearDown]
    public async Task DropSchema() => await _schema.DisposeAsync();

    [Test]
    public async Task RunOnce_DeletesOnlyOldPublishedProcessedEvents_InBatches_AndKeepsTheirProcessedRows()
    {
        await using var processor = StartProcessor(new() { ["Retention:MaxShare"] = "0.7" });
        await _store.SeedAsync(RealisticVolume, Cutoff);
        var before = RetentionStore.Expected(RealisticVolume);
        Assert.That(await _store.CountAsync(RealisticVolume), Is.EqualTo(before), "the seed wrote what the test expects");

        var watch = Stopwatch.StartNew();
        var run = await processor.Get<EventRetention>().RunOnceAsync(CancellationToken.None);
        watch.Stop();
        await TestContext.Progress.WriteLineAsync(
            $"Retention deleted {run.Deleted} of {run.Stored} events in {run.Batches} batches in {watch.Elapsed.TotalSeconds:0.00} s");

        Assert.That(
            run,
            Is.EqualTo(new RetentionRun(false, false, false, Cutoff, RealisticVolume, before.Deletable, before.Deletable, Batches: 24)),
            "120,000 in batches of 5,000");
        Assert.That(
            await _store.CountAsync(RealisticVolume),
            Is.EqualTo(before with { Deletable = 0 }),
            "recent, still in the outbox and unprocessed events kept; processed_events rows kept");
        Assert.That(processor.Logs.Lines.Any(l => l.Contains("deleted 120000 of 120000 events", StringComparison.Ordinal)), Is.True);

        var again = await processor.Get<EventRetention>().RunOnceAsync(CancellationToken.None);
        Assert.That((again.Candidates, again.Deleted, again.Batches), Is.EqualTo((0L, 0L, 0)), "a second run finds nothing");
    }

    [Test]
    public async Task DryRun_CountsAndLogs_DeletesNothing()
    {
        await using var processor = StartProcessor(new() { ["Retention:MaxShare"] = "0.7", ["Retention:DryRun"] = "true" });
        await _store.SeedAsync(SmallVolume, Cutoff);
        var before = RetentionStore.Expected(SmallVolume);

        var run = await processor.Get<EventRetention>().RunOnceAsync(CancellationToken.None);

        Assert.That(run, Is.EqualTo(new RetentionRun(false, true, false, Cutoff, SmallVolume, before.Deletable, 0, 0)));
        Assert.That(await _store.CountAsync(SmallVolume), Is.EqualTo(before));
        Assert.That(
            processor.Logs.Lines.Any(l => l.Contains($"dry run: {before.Deletable} of {SmallVolume} stored events", StringComparison.Ordinal)),
            Is.True);
    }

    [Test]
    public async Task MoreThanMaxShareDue_RefusesTheRun_DeletesNothing_AndLogsAnError()
    {
        // 60% of the store is due and the default Retention__MaxShare is 0.5.
        await using var processor = StartProcessor();
        await _store.SeedAsync(SmallVolume, Cutoff);
        var before = RetentionStore.Expected(SmallVolume);

        var run = await processor.Get<EventRetention>().RunOnceAsync(CancellationToken.None);

        Assert.That(run, Is.EqualTo(new RetentionRun(false, false, true, Cutoff, SmallVolume, before.Deletable, 0, 0)));
        Assert.That(await _store.CountAsync(SmallVolume), Is.EqualTo(before));
        Assert.That(
            processor.Logs.Lines.Any(l => l.StartsWith("Error", StringComparison.Ordinal)
                && l.Contains("Retention refused", StringComparison.Ordinal)
                && l.Contains("Retention__MaxShare", StringComparison.Ordinal)),
            Is.True);
    }

    [Test]
    public async Task LockHeldByAnotherProcessor_SkipsTheRun()
    {
        await using var processor = StartProcessor(new() { ["Retention:MaxShare"] = "0.7" });
        await _store.SeedAsync(SmallVolume, Cutoff);
        await using var other = new NpgsqlConnection(_schema.ConnectionString);
        await other.OpenAsync();
        Assert.That(await other.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext('webhooks:retention:' || current_schema()))"), Is.True);

        var run = await processor.Get<EventRetention>().RunOnceAsync(CancellationToken.None);

        Assert.That(run.Skipped, Is.True);
        Assert.That(await _store.CountAsync(SmallVolume), Is.EqualTo(RetentionStore.Expected(SmallVolume)));
    }

    [Test]
    public async Task Enabled_RunsEveryInterval_OnTheInjectedClock()
    {
        await using var processor = StartProcessor(new()
        {
            ["Retention:Enabled"] = "true",
            ["Retention:Interval"] = "01:00:00",
            ["Retention:MaxShare"] = "0.7",
        });
        // Seeded around the cutoff of the first run, an hour from now.
        await _store.SeedAsync(SmallVolume, Cutoff + TimeSpan.FromHours(1));
        var before = RetentionStore.Expected(SmallVolume);
        Assert.That(await _store.CountAsync(SmallVolume), Is.EqualTo(before), "nothing before the first interval");

        _clock.Advance(TimeSpan.FromHours(1));

        var deleted = await Eventually.TrueAsync(async () => (await _store.CountAsync(SmallVolume)).Deletable == 0, TimeSpan.FromSeconds(20));
        Assert.That(deleted, Is.True, "the scheduled run deleted the due events");
        Assert.That(await _store.CountAsync(SmallVolume), Is.EqualTo(before with { Deletable = 0 }));
    }

    [TestCase("Retention:MaxShare", "2", "Retention__MaxShare")]
    [TestCase("Retention:MaxShare", "0", "Retention__MaxShare")]
    [TestCase("Retention:BatchSize", "0", "Retention__BatchSize")]
    [TestCase("Retention:OlderThan", "01:00:00", "Retention__OlderThan")]
    [TestCase("Retention:Interval", "00:00:00", "Retention__Interval")]
    public async Task BadSetting_StopsTheProcessAtStart_NamingIt(string key, string value, string named)
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => processor.Start());

        Assert.That(Messages(failure), Does.Contain(named));
    }

    private ProcessorFactory StartProcessor(Dictionary<string, string?>? settings = null) =>
        new ProcessorFactory(_schema.ConnectionString, settings, _clock).Start();

    private static string Messages(Exception? exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(i => i.Message));
            }
        }

        return string.Join(" | ", messages);
    }
}
