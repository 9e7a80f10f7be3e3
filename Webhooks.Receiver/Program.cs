using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Receiver;
using Webhooks.Receiver.Ingestion;
using Webhooks.Receiver.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("webhooks-receiver", ReceiverTelemetry.Name, typeof(Program).Assembly);
builder.Services.AddWebhooksDatabase();
builder.Services.AddWebhookProviders();
builder.Services.AddReceiverProtection();
builder.Services.AddEventStore();
builder.Services.AddOutboxRelay();
builder.Services.AddReceiverTelemetry();

var app = builder.Build();

// The caller's address from X-Forwarded-For, only when sent by a proxy in Protection__TrustedProxies.
app.UseForwardedHeaders();
// Routing's bare 404s and 405s answer problem+json too, like every other refusal.
app.UseStatusCodePages();
app.MapServiceDefaults();
app.MapWebhookEndpoints();

app.Run();

/// <summary>The receiver's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
