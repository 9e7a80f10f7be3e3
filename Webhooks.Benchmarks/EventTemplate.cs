using System.Text.Json.Nodes;

namespace Webhooks.Benchmarks;

/// <summary>
/// A <c>payment_intent.succeeded</c> event as Stripe sends it: the fixture envelope with the fixture
/// payment intent under <c>data.object</c>, compact, with <c>__EVENT_ID__</c> where each request's id goes.
/// </summary>
internal static class EventTemplate
{
    public static async Task WriteAsync(string fixturesDirectory, string outputFile)
    {
        var envelope = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(fixturesDirectory, "event.json")))!.AsObject();
        var paymentIntent = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(fixturesDirectory, "payment_intent.json")))!.AsObject();
        paymentIntent["metadata"] = new JsonObject { ["order_id"] = "order___EVENT_ID__" };
        envelope["data"] = new JsonObject { ["object"] = paymentIntent };
        envelope["type"] = "payment_intent.succeeded";
        envelope["id"] = "__EVENT_ID__";
        await File.WriteAllTextAsync(outputFile, envelope.ToJsonString());
    }
}
