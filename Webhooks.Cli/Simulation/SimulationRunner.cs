using System.Collections.Concurrent;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Sends a plan with <c>--concurrency</c> senders. Each takes the next sequence (one order's events)
/// and sends it in its order, each delivery waiting for the previous one's final answer, so that
/// a shuffled lifecycle reaches the receiver shuffled and a copy comes after its original.
/// </summary>
internal sealed class SimulationRunner(GatewaySender sender, TimeProvider timeProvider)
{
    public async Task<SimulationRun> RunAsync(SimulationPlan plan, int concurrency, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var results = new ConcurrentQueue<DeliveryResult>();
        var next = -1;
        var delivered = 0;
        DeliveryResult? stoppedBy = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task SendSequencesAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < plan.Sequences.Count)
            {
                foreach (var delivery in plan.Sequences[index])
                {
                    var result = await sender.SendAsync(delivery, stop.Token);
                    results.Enqueue(result);
                    if (result.Outcome != DeliveryOutcome.GivenUp)
                    {
                        Interlocked.Increment(ref delivered);
                    }
                    else if (Volatile.Read(ref delivered) == 0)
                    {
                        // Nothing got through yet: a wrong URL, provider or secret, which no retry mends.
                        Interlocked.CompareExchange(ref stoppedBy, result, null);
                        await stop.CancelAsync();
                        return;
                    }
                }
            }
        }

        var senders = Enumerable.Range(0, Math.Min(concurrency, plan.Sequences.Count))
            .Select(_ => Task.Run(SendSequencesAsync, CancellationToken.None))
            .ToList();
        try
        {
            await Task.WhenAll(senders);
        }
        catch (OperationCanceledException) when (stoppedBy is not null && !cancellationToken.IsCancellationRequested)
        {
            // The others were stopped on purpose.
        }

        return new SimulationRun([.. results], timeProvider.GetElapsedTime(started), stoppedBy);
    }
}
