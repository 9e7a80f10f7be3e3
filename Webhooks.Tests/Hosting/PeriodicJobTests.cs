using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Hosting;

/// <summary>The one periodic loop, on its own: what every job (alerts, scans, samplers, retention) relies on.</summary>
public class PeriodicJobTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Test]
    public async Task Rounds_RunEveryInterval_OnTheInjectedClock()
    {
        var clock = new FakeTimeProvider();
        using var job = new CountingJob(clock);
        await job.StartAsync(CancellationToken.None);
        await job.Started.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(job.Rounds, Is.Zero, "the first round waits one interval");
        clock.Advance(Minute);
        Assert.That(await WaitForRoundsAsync(job, 1), Is.True);
        clock.Advance(Minute);
        Assert.That(await WaitForRoundsAsync(job, 2), Is.True);
        await job.StopAsync(CancellationToken.None);

        Assert.That(job.Rounds, Is.EqualTo(2), "no round without a tick");
    }

    [Test]
    public async Task Wake_RunsARoundAtOnce_WithoutTheClockMoving()
    {
        var clock = new FakeTimeProvider();
        using var wake = new JobWake();
        using var job = new CountingJob(clock, wakeSource: wake);
        await job.StartAsync(CancellationToken.None);
        await job.Started.WaitAsync(TimeSpan.FromSeconds(10));

        wake.Wake();
        Assert.That(await WaitForRoundsAsync(job, 1), Is.True);
        job.Wake();
        Assert.That(await WaitForRoundsAsync(job, 2), Is.True);
        await job.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task RunAtStart_RunsTheFirstRoundAtOnce()
    {
        using var job = new CountingJob(new FakeTimeProvider(), runAtStart: true);
        await job.StartAsync(CancellationToken.None);

        Assert.That(await WaitForRoundsAsync(job, 1), Is.True);
        await job.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task FailedRound_IsLoggedInOneLine_AndTheNextRoundComes()
    {
        var clock = new FakeTimeProvider();
        var logs = new CapturedLogs();
        using var job = new CountingJob(clock, failFirst: true, logs: logs);
        await job.StartAsync(CancellationToken.None);
        await job.Started.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(Minute);
        Assert.That(await WaitForRoundsAsync(job, 1), Is.True);
        clock.Advance(Minute);
        Assert.That(await WaitForRoundsAsync(job, 2), Is.True);
        await job.StopAsync(CancellationToken.None);

        Assert.That(job.Failures, Is.EqualTo(1));
        Assert.That(
            logs.Lines.Single(l => l.Contains("Counting job failed", StringComparison.Ordinal)),
            Does.Contain("TimeoutException: the database is away"));
    }

    [Test]
    public async Task Disabled_NeverRuns()
    {
        var clock = new FakeTimeProvider();
        using var job = new CountingJob(clock, enabled: false);
        await job.StartAsync(CancellationToken.None);

        clock.Advance(Minute * 10);
        job.Wake();
        await job.StopAsync(CancellationToken.None);

        Assert.That(job.Rounds, Is.Zero);
        Assert.That(job.ExecuteTask?.IsCompleted, Is.True, "the loop never started");
    }

    private static Task<bool> WaitForRoundsAsync(CountingJob job, int rounds) =>
        Eventually.TrueAsync(() => Task.FromResult(job.Rounds >= rounds), TimeSpan.FromSeconds(10));

    private sealed class CountingJob(
        TimeProvider clock,
        bool runAtStart = false,
        bool enabled = true,
        bool failFirst = false,
        JobWake? wakeSource = null,
        CapturedLogs? logs = null) : PeriodicJob
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _rounds;
        private int _failures;

        /// <summary>Completes once the loop runs, its timer created: advancing the clock after this moves it.</summary>
        public Task Started => _started.Task;

        public int Rounds => Volatile.Read(ref _rounds);

        public int Failures => Volatile.Read(ref _failures);

        protected override TimeSpan Interval => Minute;

        protected override string JobName => "Counting job";

        protected override TimeProvider Clock => clock;

        protected override ILogger Logger { get; } = LoggerFactory.Create(l => l.AddProvider(logs ?? new CapturedLogs())).CreateLogger("job");

        protected override bool RunAtStart => runAtStart;

        protected override bool IsEnabled => enabled;

        protected override JobWake? WakeSource => wakeSource;

        protected override void OnStarted() => _started.TrySetResult();

        protected override Task RunOnceAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _rounds) == 1 && failFirst)
            {
                Interlocked.Increment(ref _failures);
                throw new TimeoutException("the database is away");
            }

            return Task.CompletedTask;
        }
    }
}
