using System.Text;
using Webhooks.Contracts;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Storage;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// Stores events in a test schema through the one insert every writer uses (<see cref="EventBatchInserter"/>),
/// with the order and payment intent references the receiver reads, and a long outbox lease so that no relay
/// publishes them: the test decides when (if ever) the processor gets them.
/// </summary>
public static class StoredEvents
{
    public static async Task<PaymentEventReceived> StoreAsync(string connectionString, PaymentEventReceived message, string headersJson = "{}")
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource(connectionString);
        var body = Encoding.UTF8.GetBytes(message.Payload);
        var (orderRef, paymentIntentRef) = EventReferences.Read(body);
        var incoming = new IncomingEvent(message.Provider, message.EventId, message.EventType, message.ReceivedAt, headersJson, body, null)
        {
            OrderRef = orderRef,
            PaymentIntentRef = paymentIntentRef,
        };
        var stored = await new EventBatchInserter(dataSource).InsertAsync([incoming], TimeSpan.FromDays(1), CancellationToken.None);
        return message with { StoredEventId = stored[(message.Provider, message.EventId)].Id };
    }
}
