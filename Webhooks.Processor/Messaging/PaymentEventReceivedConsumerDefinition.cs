using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Processor.Configuration;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// The consumer's endpoint: its queue, concurrency, retries and kill switch.
/// <para>
/// Transient failures (the database away) are retried in process with exponential, jittered
/// delays: roughly 0.7 s, 1.2 s, 2.2 s, 4.2 s, 8.2 s, 16 s, then 30 s each, about five minutes in
/// all, so that a message caught in an outage of a minute or two is not dead-lettered. Nothing
/// else is retried: an event that cannot be read fails the same way every time.
/// </para>
/// <para>
/// While most messages fail for a transient reason, the kill switch stops taking messages from
/// the queue and tries again after <see cref="KillSwitchRestartTimeout"/>; the waiting messages
/// stay in the queue instead of flooding the dead-letter queue. No delayed redelivery: the
/// broker has no delayed-message plugin.
/// </para>
/// </summary>
public sealed class PaymentEventReceivedConsumerDefinition : ConsumerDefinition<PaymentEventReceivedConsumer>
{
    public const int TransientRetryLimit = 15;
    public static readonly TimeSpan RetryMinInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryMaxInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RetryIntervalDelta = TimeSpan.FromMilliseconds(500);

    /// <summary>Consumption attempts seen before the kill switch may trip: a few failures alone do not stop the endpoint.</summary>
    public const int KillSwitchActivationThreshold = 10;

    /// <summary>Percentage of failed attempts (transient failures only) that stops the endpoint.</summary>
    public const int KillSwitchTripThreshold = 15;

    public static readonly TimeSpan KillSwitchTrackingPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Long enough to spare a recovering database a stampede, short enough that a blip costs little.</summary>
    public static readonly TimeSpan KillSwitchRestartTimeout = TimeSpan.FromSeconds(30);

    private readonly ProcessorOptions _options;

    public PaymentEventReceivedConsumerDefinition(IOptions<ProcessorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        EndpointName = _options.QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentEventReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;

        endpointConfigurator.UseKillSwitch(options => options
            .SetActivationThreshold(KillSwitchActivationThreshold)
            .SetTripThreshold(KillSwitchTripThreshold)
            .SetTrackingPeriod(KillSwitchTrackingPeriod)
            .SetRestartTimeout(KillSwitchRestartTimeout)
            .SetExceptionFilter(filter => filter.Handle<Exception>(TransientFailure.IsTransient)));

        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(TransientFailure.IsTransient);
            retry.Exponential(TransientRetryLimit, RetryMinInterval, RetryMaxInterval, RetryIntervalDelta);
        });
    }
}
