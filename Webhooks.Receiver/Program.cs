using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Telemetry;
using Webhooks.Receiver;
using Webhooks.Receiver.Health;
using Webhooks.Receiver.Ingestion;
using Webhooks.Receiver.Telemetry;

var builder = WebApplication.CreateBuilder(args);
// Before anything binds them: a value that does not parse stops the process naming the variable.
SettingValues.ThrowIfUnreadable(builder.Configuration, typeof(Program).Assembly);

builder.AddWebhooksTelemetry("webhooks-receiver", ReceiverTelemetry.Name);
builder.Services.AddProblemDetails();
builder.Services.AddWebhooksDatabase();
builder.Services.AddWebhookProviders();
builder.Services.AddReceiverProtection();
builder.Services.AddEventStore();
builder.Services.AddOutboxRelay();
builder.Services.AddReceiverHealthChecks();
builder.Services.AddReceiverTelemetry();

var app = builder.Build();

// The caller's address from X-Forwarded-For, only when sent by a proxy in Protection__TrustedProxies.
app.UseForwardedHeaders();
// Routing's bare 404s and 405s answer problem+json too, like every other refusal.
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.MapMetricsEndpoint();
app.MapWebhookEndpoints();

app.Run();

/// <summary>The receiver's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
