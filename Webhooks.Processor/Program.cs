using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Processor;
using Webhooks.Processor.Messaging;
using Webhooks.Processor.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.UseDevelopmentUrl();
builder.AddServiceDefaults("webhooks-processor", ProcessorTelemetry.Name, typeof(ProcessorEntryPoint).Assembly);
// Registration order is start order: the schema is applied before the consumer takes a message.
builder.Services.AddWebhooksDatabase();
builder.Services.AddOrderProcessing();
builder.Services.AddSlackAlerts();
builder.Services.AddProcessorMessaging();
builder.Services.AddDeadLetterAlerts();
builder.Services.AddDisputeAlerts();
builder.Services.AddStuckOrderMonitor();
builder.Services.AddGatewayReconciliationJob();
builder.Services.AddEventRetention();
builder.Services.AddProcessorTelemetry();

var app = builder.Build();
app.MapServiceDefaults();
app.Run();

/// <summary>
/// Declared internal on purpose: the SDK would otherwise make the top-level Program public, and the
/// test project, which also hosts the receiver's public Program, would see two of them. Tests use
/// <see cref="ProcessorEntryPoint"/>.
/// </summary>
internal sealed partial class Program;
