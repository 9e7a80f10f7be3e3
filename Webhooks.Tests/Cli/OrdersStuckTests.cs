using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>orders stuck</c>: the orders the stuck-order alert names, from the processor's orders table.</summary>
public class OrdersStuckTests
{
    private static readonly string[] Fields = ["orderId", "status", "pendingSince", "diagnosis"];

    [Test]
    public async Task Stuck_Json_ListsPendingOrdersOlderThanTheThreshold_LongestFirst()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var now = TimeProvider.System.GetUtcNow();
        await InsertOrderAsync(schema, "order_2h", "pending", now.AddHours(-2));
        await InsertOrderAsync(schema, "order_20m", "pending", now.AddMinutes(-20));
        await InsertOrderAsync(schema, "order_5m", "pending", now.AddMinutes(-5));
        await InsertOrderAsync(schema, "order_paid", "paid", null);

        var byDefault = await CliRunner.RunAsync(schema.Settings(), "orders", "stuck", "--json");
        var olderThanHour = await CliRunner.RunAsync(schema.Settings(), "orders", "stuck", "--older-than", "1h", "--json");

        Assert.That(byDefault.ExitCode, Is.Zero, byDefault.ToString());
        Assert.That(byDefault.Stderr, Is.Empty);
        var rows = byDefault.Json().EnumerateArray().ToList();
        Assert.That(
            rows.Select(r => r.GetProperty("orderId").GetString()),
            Is.EqualTo(new[] { "order_2h", "order_20m" }),
            "15 minutes by default, longest first");
        Assert.That(rows[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Fields));
        Assert.That(rows[0].GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(
            rows[0].GetProperty("diagnosis").GetString(),
            Does.StartWith("unknown: nothing for it is queued or dead-lettered").And.Contain("reconciliation is off"));
        Assert.That(rows[0].GetProperty("pendingSince").GetDateTimeOffset(), Is.EqualTo(now.AddHours(-2)).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(olderThanHour.Json().EnumerateArray().Select(r => r.GetProperty("orderId").GetString()), Is.EqualTo(new[] { "order_2h" }));
    }

    [Test]
    public async Task Stuck_WithoutOlderThan_UsesTheAlertsSetting()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        await InsertOrderAsync(schema, "order_3m", "pending", TimeProvider.System.GetUtcNow().AddMinutes(-3));
        var settings = schema.Settings() with { Extra = new Dictionary<string, string?> { ["StuckOrders:PendingThreshold"] = "00:02:00" } };

        var result = await CliRunner.RunAsync(settings, "orders", "stuck");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("order_3m").And.Contain("pending longer than 2m 00s"));
    }

    [Test]
    public async Task Stuck_WithoutAnOrdersTable_FailsWithOneSentence()
    {
        await using var schema = CliSchema.Create();

        var result = await CliRunner.RunAsync(schema.Settings(), "orders", "stuck", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("no orders table"));
    }

    private static Task InsertOrderAsync(CliSchema schema, string orderId, string status, DateTimeOffset? pendingSince) =>
        schema.ExecuteAsync(
            """
            INSERT INTO orders (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            VALUES (@orderId, @status, @pendingSince, now(), now(), 'stripe', 'evt_' || @orderId, 'payment_intent.created')
            """,
            new { orderId, status, pendingSince = pendingSince?.ToUniversalTime() });
}
