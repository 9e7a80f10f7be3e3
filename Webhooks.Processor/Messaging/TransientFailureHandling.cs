using MassTransit;
using MassTransit.Middleware;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// How every endpoint of the processor treats failures. Transient ones (the database away) are
/// retried in process with exponential, jittered delays for <see cref="ProcessorOptions.RetryBudget"/>;
/// then the message goes back to its queue instead of to the dead-letter queue, however long the
/// outage (<see cref="RequeueTransientFailureFilter"/>). A message that fails for good is not retried:
/// it is dead-lettered at once to <c>&lt;queue&gt;_error</c> with its fault, as MassTransit does by default.
/// <para>
/// The kill switch sees a message once, after its retries (it observes the endpoint's consume pipe,
/// outside the retry filter). When transient failures persist it stops taking messages for
/// <see cref="ProcessorOptions.PauseAfterFailures"/>, so that an outage longer than the budget does not
/// turn into messages cycling between the queue and the retries at full speed; then it tries again.
/// Stopping the endpoint does not cancel retries in flight: they run to the end of their budget.
/// </para>
/// </summary>
public static class TransientFailureHandling
{
    public static readonly TimeSpan RetryMinInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryIntervalDelta = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan RetryMaxInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Messages seen in a tracking period before the kill switch may trip. Low, because in a long
    /// outage only a concurrency limit's worth of messages finishes (fails) per retry budget.
    /// </summary>
    public const int KillSwitchActivationThreshold = 5;

    /// <summary>Percentage of failed messages (transient failures only) that stops the endpoint.</summary>
    public const int KillSwitchTripThreshold = 15;

    /// <summary>Longer than the retry budget, so that the failures of one outage are counted together.</summary>
    public static TimeSpan KillSwitchTrackingPeriod(ProcessorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, options.RetryBudget.Ticks * 2));
    }

    public static void UseTransientFailureHandling(this IReceiveEndpointConfigurator endpoint, ProcessorOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        endpoint.UseKillSwitch(killSwitch => killSwitch
            .SetActivationThreshold(KillSwitchActivationThreshold)
            .SetTripThreshold(KillSwitchTripThreshold)
            .SetTrackingPeriod(KillSwitchTrackingPeriod(options))
            .SetRestartTimeout(options.PauseAfterFailures)
            .SetExceptionFilter(filter => filter.Handle<Exception>(TransientFailure.IsTransient)));

        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(TransientFailure.IsTransient);
            retry.Exponential(RetriesWithin(options.RetryBudget), RetryMinInterval, RetryMaxInterval, RetryIntervalDelta);
        });

        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new RequeueTransientFailureFilter(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransientFailureHandling))));
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
    }

    /// <summary>
    /// How many retries MassTransit's exponential policy makes before their nominal delays
    /// (<c>min + delta * (2^n - 1)</c>, at most <see cref="RetryMaxInterval"/>) add up to <paramref name="budget"/>.
    /// </summary>
    public static int RetriesWithin(TimeSpan budget)
    {
        var total = TimeSpan.Zero;
        var retries = 0;
        while (total < budget)
        {
            var delay = RetryMinInterval + (RetryIntervalDelta * (Math.Pow(2, retries) - 1));
            total += delay < RetryMaxInterval ? delay : RetryMaxInterval;
            retries++;
        }

        return retries;
    }
}
