using MassTransit;
using Microsoft.Extensions.Options;
using Webhooks.Processor.Configuration;

namespace Webhooks.Processor.Messaging;

/// <summary>
/// The consumer's endpoint: its queue, concurrency, retries and kill switch.
/// <para>
/// Transient failures (the database away) are retried in process with exponential, jittered
/// delays: roughly 0.7 s, 1.2 s, 2.2 s, 4.2 s, 8.2 s, 16 s, then 30 s each, about five minutes in
/// all. This budget is what keeps a message that is in flight during an outage out of the
/// dead-letter queue: measured against a refused database, the in-flight messages (at most
/// <see cref="ProcessorOptions.ConcurrentMessageLimit"/>) retried through a 60 s outage and were
/// applied about 30 s after it ended; the rest waited in the queue (or unacknowledged in the
/// prefetch, which the broker gives back if the process dies). Nothing else is retried: an event
/// that cannot be read fails the same way every time.
/// </para>
/// <para>
/// The kill switch sees a message once, after its retries (it observes the endpoint's consume
/// pipe, outside the retry filter). So it trips only in an outage longer than the retry budget:
/// then it stops taking messages, and the queue is not drained into the dead-letter queue at the
/// pace of the retries. Measured: stopping the endpoint does not cancel in-flight retries, it
/// waits for them to finish (up to the whole budget), so the budget, not the kill switch, decides
/// what happens to a message already in flight. No delayed redelivery: the broker has no
/// delayed-message plugin.
/// </para>
/// </summary>
public sealed class PaymentEventReceivedConsumerDefinition : ConsumerDefinition<PaymentEventReceivedConsumer>
{
    public const int TransientRetryLimit = 15;
    public static readonly TimeSpan RetryMinInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryMaxInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RetryIntervalDelta = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Messages seen in a tracking period before the kill switch may trip. Low, because in a long
    /// outage only a concurrency limit's worth of messages finishes (fails) per retry budget.
    /// </summary>
    public const int KillSwitchActivationThreshold = 5;

    /// <summary>Percentage of failed attempts (transient failures only) that stops the endpoint.</summary>
    public const int KillSwitchTripThreshold = 15;

    /// <summary>Longer than the retry budget, so that the failures of one outage are counted together.</summary>
    public static readonly TimeSpan KillSwitchTrackingPeriod = TimeSpan.FromMinutes(10);

    /// <summary>Long enough to spare a recovering database a stampede, short enough that little time is lost after it is back.</summary>
    public static readonly TimeSpan KillSwitchRestartTimeout = TimeSpan.FromMinutes(1);

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
        if (_options.QueueType == ProcessorOptions.QuorumQueueType && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            // Replicated across a RabbitMQ cluster; a classic queue lives on one node. A queue's type
            // is fixed when it is first declared: switching means draining and recreating the queue.
            rabbit.SetQuorumQueue();
        }

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
