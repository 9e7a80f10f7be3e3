using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Orders;
using Webhooks.Infrastructure.Storage;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// One reconciliation pass, the processor's and the CLI's alike: lists the events the gateway did not
/// deliver since a time, and stores those not stored yet through the receivers' store and outbox path
/// (<see cref="EventBatchInserter"/>: idempotent by provider and event id, so an event is stored once
/// however many passes, processors or CLI runs see it; the relay publishes it and the processor applies
/// it once). The stored headers say where it came from (<see cref="EventSources"/>).
/// </summary>
public sealed class Reconciler(
    NpgsqlDataSource dataSource,
    EventBatchInserter inserter,
    StripeGateway gateway,
    IOptions<ReconciliationOptions> options,
    ReconciliationTelemetry telemetry,
    TimeProvider clock)
{
    /// <param name="since">The oldest creation time asked for.</param>
    /// <param name="dryRun">List and compare only; store nothing.</param>
    /// <param name="reconciledBy">Who runs it, for the stored headers: "processor", or the CLI with its user.</param>
    /// <param name="onPage">Told how many events each page listed (a progress display).</param>
    /// <param name="cancellationToken">Stops between pages; what was stored stays stored (<see cref="ReconcileReport.Stopped"/>).</param>
    /// <returns>What the pass did, also when the gateway failed part-way (<see cref="ReconcileReport.Failure"/>).</returns>
    public async Task<ReconcileReport> RunAsync(
        DateTimeOffset since, bool dryRun, string reconciledBy, Action<int>? onPage, CancellationToken cancellationToken)
    {
        var provider = options.Value.Stripe.Provider;
        int listed = 0, ingested = 0;
        var missing = new List<GatewayEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? failure = null;
        var stopped = false;
        try
        {
            await ListAndStoreAsync();
        }
        catch (GatewayException ex)
        {
            // What earlier pages stored stays stored (and is reported); the next pass lists the rest again.
            failure = ex.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = true;
        }

        return new ReconcileReport(dryRun, listed, listed - (dryRun ? missing.Count : ingested), dryRun ? 0 : ingested, missing)
        {
            Failure = failure,
            Stopped = stopped,
        };

        Task ListAndStoreAsync() => gateway.ListUndeliveredAsync(
            since,
            async page =>
            {
                listed += page.Count;
                var stored = await StoredAsync(provider, page, cancellationToken);
                var absent = page.Where(e => !stored.Contains(e.Id) && !seen.Contains(e.Id)).DistinctBy(e => e.Id).ToList();
                if (!dryRun)
                {
                    if (absent.Count > 0)
                    {
                        var now = clock.GetUtcNow();
                        var incoming = absent.Select(e => Incoming(provider, e, now, reconciledBy)).ToList();
                        // No fast lane here: a relay publishes the rows at once (lease zero).
                        var inserted = await inserter.InsertAsync(incoming, TimeSpan.Zero, cancellationToken);
                        // Stored meanwhile by a receiver (the gateway's retry got through) or by another pass: already stored.
                        absent = [.. absent.Where(e => inserted.ContainsKey((provider, e.Id)))];
                        ingested += absent.Count;
                    }

                    telemetry.Reconciled(absent.Count, page.Count - absent.Count);
                }

                seen.UnionWith(absent.Select(e => e.Id));
                missing.AddRange(absent);
                onPage?.Invoke(page.Count);
            },
            cancellationToken);
    }

    private async Task<HashSet<string>> StoredAsync(string provider, IReadOnlyList<GatewayEvent> page, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT event_id FROM webhook_events WHERE provider = @provider AND event_id = ANY(@eventIds)",
            new { provider, eventIds = page.Select(e => e.Id).ToArray() },
            cancellationToken: cancellationToken));
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    private static IncomingEvent Incoming(string provider, GatewayEvent e, DateTimeOffset now, string reconciledBy)
    {
        var body = Encoding.UTF8.GetBytes(e.RawJson);
        var (orderRef, paymentIntentRef) = EventReferences.Read(body);
        return new IncomingEvent(provider, e.Id, e.Type, now, Headers(now, reconciledBy), body, null)
        {
            OrderRef = orderRef,
            PaymentIntentRef = paymentIntentRef,
        };
    }

    private static string Headers(DateTimeOffset now, string reconciledBy) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        [EventSources.Header] = EventSources.Reconciliation,
        [EventSources.ReconciledAtHeader] = now.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        [EventSources.ReconciledByHeader] = reconciledBy,
    });
}
