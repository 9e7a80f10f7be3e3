using Dapper;
using MassTransit;
using Npgsql;
using Webhooks.Contracts;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Receiver.Ingestion;
using Webhooks.Receiver.Signatures;

namespace Webhooks.Benchmarks;

/// <summary>
/// (b) What most webhook endpoints do: per request, verify, one INSERT (its own commit), one
/// awaited, confirmed publish, then 200. Same table shape and the same durability as ours.
/// </summary>
internal static class NaiveServer
{
    private const string InsertSql = """
        INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
        VALUES ('stripe', @EventId, @EventType, now(), @MessageId, '{}'::jsonb, @Body)
        ON CONFLICT (provider, event_id) DO NOTHING
        """;

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        // The same schema as the receiver's, applied at start into the search path's schema.
        builder.Services.AddWebhooksDatabase();
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.UsingRabbitMq((context, cfg) => cfg.ConfigureWebhooksHost(context));
        });
        var app = builder.Build();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var verifier = new StripeSignatureVerifier([BenchSettings.Secret], BenchSettings.ToleranceSeconds, TimeProvider.System);
        var publisher = app.Services.GetRequiredService<IBus>();

        app.MapPost("/webhooks/stripe", async (HttpContext context) =>
        {
            var body = await BenchSettings.ReadBodyAsync(context);
            if (body is null)
            {
                return Results.StatusCode(413);
            }

            var check = verifier.Verify(context.Request.Headers, body);
            if (!check.IsValid)
            {
                return Results.StatusCode(401);
            }

            if (!EventEnvelope.TryRead(body, context.Request.Headers, EventKeySource.FromBody("id"), null, out var envelope, out _))
            {
                return Results.StatusCode(400);
            }

            var messageId = Guid.CreateVersion7();
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync(InsertSql, new { envelope.EventId, envelope.EventType, MessageId = messageId, Body = body });
            }

            await publisher.Publish(
                new PaymentEventReceived(
                    0,
                    "stripe",
                    envelope.EventId,
                    envelope.EventType,
                    TimeProvider.System.GetUtcNow(),
                    System.Text.Encoding.UTF8.GetString(body)),
                ctx => ctx.MessageId = messageId);
            return Results.Ok(new { status = "accepted", id = envelope.EventId });
        });
        await app.RunAsync();
    }
}
