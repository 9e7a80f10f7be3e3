using Webhooks.Cli.Output;

namespace Webhooks.Cli.Events;

/// <summary>Stored events as a table: provider and event id first, as <c>events show</c> and <c>events replay</c> take them.</summary>
internal static class StoredEventsTableView
{
    public static CliTable Create(IEnumerable<StoredEventRow> rows)
    {
        var table = new CliTable(
            new CliColumn("Received at", Rank: 1),
            new CliColumn("Provider", Rank: 0, MinWidth: 8),
            CliColumn.Id("Event id"),
            new CliColumn("Type", Rank: 2, MinWidth: 12),
            CliColumn.Id("Message id", rank: 3));
        foreach (var row in rows)
        {
            table.AddRow(Cells.Time(row.ReceivedAtUtc), row.Provider, row.EventId, row.EventType, row.MessageId.ToString());
        }

        return table;
    }
}
