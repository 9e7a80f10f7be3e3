using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// <c>simulate</c>'s summary against what really crossed the wire: the real receiver in memory, with a
/// front door that answers 503 when told to and records every request and answer.
/// </summary>
public class SimulateSummaryTests
{
    [Test]
    public async Task ReceiverAnswers503ThenAccepts_CountedAsRetried_DuplicatesAsTheReceiverAnsweredThem()
    {
        await using var receiver = new ReceiverFactory();
        // Every third event's first attempt is answered 503; its retry goes through.
        var front = new FrontDoorHandler(receiver.Server.CreateHandler(), (_, attempt, place) => attempt == 1 && place % 3 == 0);

        var result = await CliRunner.RunWithHttpAsync(CliSettings.ForSchema(receiver.Schema), front,
            "simulate", "--orders", "12", "--duplicates", "0.5", "--seed", "3", "--rate", "0",
            "--retry-delay", "0.01s", "--secret", ReceiverFactory.StripeSecret, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var summary = result.Json();
        var wire = front.Exchanges;
        var unavailable = wire.Count(e => e.Status == 503);
        var events = wire.Select(e => e.EventId).Distinct().Count();
        Assert.That(unavailable, Is.GreaterThan(0));
        Assert.Multiple(() =>
        {
            Assert.That(summary.Count("events"), Is.EqualTo(events), "every event reached the wire");
            Assert.That(summary.Count("requests"), Is.EqualTo(wire.Count));
            Assert.That(summary.Count("sent"), Is.EqualTo(wire.Count - unavailable), "a retry is the same delivery sent again");
            Assert.That(summary.Count("retried"), Is.EqualTo(unavailable), "each 503 then 200 is one retried delivery");
            Assert.That(summary.Answers("503"), Is.EqualTo(unavailable));
            Assert.That(summary.Count("accepted"), Is.EqualTo(wire.Count(e => e.Ack == "accepted")).And.EqualTo(events));
            Assert.That(summary.Count("duplicates"), Is.EqualTo(wire.Count(e => e.Ack == "duplicate")).And.GreaterThan(0));
            Assert.That(summary.Count("duplicates"), Is.EqualTo(summary.Count("duplicatesSent")), "every second copy was answered duplicate");
            Assert.That(summary.Count("givenUp"), Is.Zero);
        });
        Assert.That(
            await new SimulatedOrders(TestSchema.ConnectionString(TestEnvironment.Postgres, receiver.Schema)).StoredEventCountAsync(),
            Is.EqualTo(events),
            "stored once each");
    }

    [Test]
    public async Task ReceiverKeepsFailingOneEvent_GivenUpAfterTheRetries_ExitsOne()
    {
        await using var receiver = new ReceiverFactory();
        var front = new FrontDoorHandler(receiver.Server.CreateHandler(), (_, _, place) => place == 3);

        var result = await CliRunner.RunWithHttpAsync(CliSettings.ForSchema(receiver.Schema), front,
            "simulate", "--orders", "3", "--duplicates", "0", "--concurrency", "1", "--rate", "0",
            "--max-retries", "2", "--retry-delay", "0.01s", "--secret", ReceiverFactory.StripeSecret, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        var summary = result.Json();
        var failing = front.Exchanges.Where(e => e.Status == 503).ToList();
        Assert.That(failing.Select(e => e.Attempt), Is.EqualTo(new[] { 1, 2, 3 }), "the first attempt and two retries");
        Assert.That(summary.Count("givenUp"), Is.EqualTo(1));
        Assert.That(summary.Strings("givenUpEventIds"), Is.EqualTo(new[] { failing[0].EventId }));
        Assert.That(summary.Count("retried"), Is.EqualTo(1));
        Assert.That(summary.Count("accepted"), Is.EqualTo(summary.Count("events") - 1));
        Assert.That(result.StderrLines[^1], Does.Contain("1 delivery got no 2xx in 3 attempts and was given up"));
    }

    [Test]
    public async Task WrongSecret_StopsAtTheFirstDeliveryThatGivesUp_SayingWhatToCheck()
    {
        await using var receiver = new ReceiverFactory();
        var front = new FrontDoorHandler(receiver.Server.CreateHandler(), (_, _, _) => false);

        var result = await CliRunner.RunWithHttpAsync(CliSettings.ForSchema(receiver.Schema), front,
            "simulate", "--orders", "20", "--rate", "0", "--max-retries", "1", "--retry-delay", "0.01s",
            "--secret", "whsec_not_the_receivers_secret");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty, "no summary of a run that could not start");
        Assert.That(result.StderrLines[^1], Does.Contain("took nothing").And.Contain("401").And.Contain("check --secret"));
        Assert.That(front.Exchanges, Has.Count.LessThan(20), "the run stopped instead of retrying every event");
        Assert.That(front.Exchanges.Select(e => e.Status), Has.All.EqualTo(401));
    }
}
