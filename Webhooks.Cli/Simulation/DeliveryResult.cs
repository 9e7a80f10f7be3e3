namespace Webhooks.Cli.Simulation;

/// <summary>A delivery and every answer it got, first attempt first.</summary>
internal sealed record DeliveryResult(Delivery Delivery, IReadOnlyList<AttemptAnswer> Answers)
{
    public AttemptAnswer Last => Answers[^1];

    public bool Retried => Answers.Count > 1;

    public DeliveryOutcome Outcome => !Last.IsSuccess ? DeliveryOutcome.GivenUp
        : Last.Ack == "accepted" ? DeliveryOutcome.Accepted
        : Last.Ack == "duplicate" ? DeliveryOutcome.Duplicate
        : DeliveryOutcome.OtherSuccess;
}
