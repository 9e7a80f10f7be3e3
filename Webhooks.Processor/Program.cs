using Webhooks.Infrastructure.Database;
using Webhooks.Processor;
using Webhooks.Processor.Health;
using Webhooks.Processor.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.UseDevelopmentUrl();
// Registration order is start order: the schema is applied before the consumer takes a message.
builder.Services.AddWebhooksDatabase();
builder.Services.AddOrderProcessing();
builder.Services.AddSlackAlerts();
builder.Services.AddProcessorMessaging();
builder.Services.AddDeadLetterAlerts();
builder.Services.AddStuckOrderMonitor();
builder.Services.AddProcessorHealthChecks();

var app = builder.Build();

app.MapHealthEndpoints();

app.Run();
