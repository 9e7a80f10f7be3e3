namespace Webhooks.Tests.Hostile;

/// <summary>Every hostile case, for <see cref="HostileInputCorpusTests"/>.</summary>
public static class HostileCorpus
{
    /// <summary>Small, so that bodies over the limit are quick to send; large enough for the deeply nested and long-key cases to reach the parser.</summary>
    public const int MaxBodyBytes = 32 * 1024;

    public static IEnumerable<TestCaseData> All() =>
        BodyCases.All()
            .Concat(SignatureCases.All())
            .Concat(TransportCases.All(MaxBodyBytes))
            .Concat(ProviderNameCases.All())
            .Select(c => new TestCaseData(c).SetName(c.Name));
}
