using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>
/// One event, one trace: from the receiver's HTTP span through the store and the relay's publish to
/// the processor's consume and order update.
/// </summary>
// Not in parallel: every host in the test process listens to every activity source of the same name.
[NonParallelizable]
public class EndToEndTraceTests
{
    [Test]
    public async Task OneEvent_IsOneTrace_FromThePostToTheOrderUpdate()
    {
        // Each host exports into a collection of its own, added to from the exporter's threads; the test
        // reads both, as one collector would receive both services' spans.
        var receiverSpans = new LockedCollection<Activity>();
        var processorSpans = new LockedCollection<Activity>();
        List<Activity> Spans() => [.. receiverSpans.Snapshot(), .. processorSpans.Snapshot()];

        await using var receiver = new ReceiverFactory(services: s => s.ConfigureOpenTelemetryTracerProvider(
            t => t.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(receiverSpans)));
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(
            schema.ConnectionString,
            exchange: receiver.Exchange,
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(processorSpans))).Start();
        {
            using var client = receiver.CreateClient();
            var id = TestEvents.NewEventId();
            var order = $"order_{Guid.NewGuid():N}";

            using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id, "payment_intent.succeeded", order)));
            await HttpAssertions.ExpectAckAsync(response, "accepted", id);

            Activity? update = null;
            var found = await Eventually.TrueAsync(() =>
            {
                update = Spans().FirstOrDefault(s => s.OperationName == "order update" && (string?)s.GetTagItem("webhooks.event_id") == id);
                return Task.FromResult(update is not null);
            }, TimeSpan.FromSeconds(30));
            Assert.That(found, Is.True, "the processor's order update span should be exported");

            var trace = Spans().Where(s => s.TraceId == update!.TraceId).ToList();

            var names = trace.Select(s => $"{s.Source.Name}: {s.DisplayName}").ToList();
            var publish = trace.FirstOrDefault(s => s.OperationName == "outbox publish");
            var receive = trace.FirstOrDefault(s => s.Source.Name == "MassTransit"
                && s.Kind == ActivityKind.Consumer
                && s.DisplayName.EndsWith(" receive", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(trace.Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server), Is.True, string.Join("; ", names));
                Assert.That(trace.Any(s => s.OperationName == "webhook store"), Is.True, string.Join("; ", names));
                Assert.That(publish?.Kind, Is.EqualTo(ActivityKind.Producer), string.Join("; ", names));
                Assert.That(receive, Is.Not.Null, string.Join("; ", names));
                // The broker hop: MassTransit's receive continues the outbox's publish span, read from the envelope's MT-Activity-Id.
                Assert.That(
                    receive?.ParentSpanId,
                    Is.EqualTo(publish?.SpanId),
                    "the processor's receive span should be a child of the receiver's publish span");
            });
        }
    }
}
