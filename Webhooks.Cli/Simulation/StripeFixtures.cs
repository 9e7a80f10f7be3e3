using System.Text.Json.Nodes;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Stripe's own example objects (<c>Simulation/Fixtures/Stripe</c>, embedded in the CLI; the tests and
/// the benchmarks read the same ones): the event envelope and the objects events carry. Each call
/// returns a fresh copy to change.
/// </summary>
internal static class StripeFixtures
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> Loaded = new(Load);

    public static JsonObject Event() => Copy("event");

    public static JsonObject PaymentIntent() => Copy("payment_intent");

    public static JsonObject Charge() => Copy("charge");

    public static JsonObject CheckoutSession() => Copy("checkout_session");

    public static JsonObject Refund() => Copy("refund");

    public static JsonObject Dispute() => Copy("dispute");

    /// <summary>The fixture of that name (<c>event</c>, <c>payment_intent</c>, <c>charge</c>, ...), a fresh copy.</summary>
    public static JsonObject Named(string name) => Copy(name);

    private static JsonObject Copy(string name) => Loaded.Value[name].DeepClone().AsObject();

    private static Dictionary<string, JsonObject> Load()
    {
        const string prefix = "Webhooks.Cli.Simulation.Fixtures.";
        var assembly = typeof(StripeFixtures).Assembly;
        var fixtures = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in new[] { "event", "payment_intent", "charge", "checkout_session", "refund", "dispute" })
        {
            using var stream = assembly.GetManifestResourceStream($"{prefix}{name}.json")
                ?? throw new InvalidOperationException($"The CLI was built without its fixture {name}.json.");
            fixtures[name] = JsonNode.Parse(stream)!.AsObject();
        }

        return fixtures;
    }
}
