using Webhooks.Infrastructure.Database;
using Webhooks.Receiver;
using Webhooks.Receiver.Health;
using Webhooks.Receiver.Ingestion;

var builder = WebApplication.CreateBuilder(args);

builder.AddReceiverLimits();
builder.Services.AddProblemDetails();
builder.Services.AddWebhooksDatabase();
builder.Services.AddWebhookProviders();
builder.Services.AddEventStore();
builder.Services.AddOutboxRelay();
builder.Services.AddReceiverHealthChecks();

var app = builder.Build();

app.MapHealthEndpoints();
app.MapWebhookEndpoints();

app.Run();

/// <summary>The receiver's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
