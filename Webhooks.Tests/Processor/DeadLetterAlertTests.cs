using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Events;
using MassTransit.Metadata;
using Npgsql;
using Webhooks.Contracts;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// Dead-letter alerts say exactly what to run: the real message ids and types in the commands, the
/// reason on one line, and a replayed message that fails again is marked as such, with the replay
/// the CLI recorded and the first alert.
/// </summary>
public class DeadLetterAlertTests
{
    private ProcessorSchema _schema = null!;
    private SlackListener _slack = null!;

    [SetUp]
    public async Task CreateSchemaAndSlack()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _slack = await SlackListener.StartAsync();
    }

    [TearDown]
    public async Task DropSchemaAndSlack()
    {
        await _slack.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [Test]
    public async Task Alert_NamesTheRealMessageIdsAndTypes_InTheCommandsToRun()
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, SlackSettings()).Start();
        var refund = Poison("charge.refunded");
        var success = Poison("payment_intent.succeeded");
        await processor.PublishAsync(refund);
        await processor.PublishAsync(success);

        var post = await _slack.WaitForPostAsync(p => p.Names(refund.EventId) && p.Names(success.EventId), TimeSpan.FromSeconds(30));

        Assert.That(post, Is.Not.Null, string.Join("\n---\n", _slack.Accepted.Select(p => p.Content)));
        var listed = await CliProcess.RunAsync(Cli(processor), "dlq", "list", "--json");
        var ids = listed.Json().EnumerateArray().Select(m => m.GetProperty("messageId").GetString()!).ToList();
        Assert.That(ids, Has.Count.EqualTo(2), listed.ToString());
        Assert.That(post!.Content, Does.Contain($"./webhooks dlq replay {ids[0]} {ids[1]}`").Or.Contain($"./webhooks dlq replay {ids[1]} {ids[0]}`"));
        Assert.That(post.Content, Does.Contain("./webhooks dlq show ").And.Contain("./webhooks dlq replay --all --type charge.refunded`")
            .And.Contain("./webhooks dlq replay --all --type payment_intent.succeeded`"));
        Assert.That(post.Content, Does.Not.Contain("<message-id>").And.Not.Contain("<type>").And.Not.Contain("again"));
    }

    [Test]
    public async Task AReplayedMessageThatFailsAgain_IsAlertedAsSuch_WithTheReplayAndTheFirstAlert()
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, SlackSettings()).Start();
        var poison = Poison("payment_intent.succeeded");
        await processor.PublishAsync(poison);
        var first = await _slack.WaitForPostAsync(p => p.Names(poison.EventId), TimeSpan.FromSeconds(30));
        Assert.That(first, Is.Not.Null);
        var id = (await CliProcess.RunAsync(Cli(processor), "dlq", "list", "--json")).Json()[0].GetProperty("messageId").GetString()!;

        // The cause is not fixed: the replayed copy fails the same way.
        var replay = await CliProcess.RunAsync(Cli(processor), "dlq", "replay", id);
        Assert.That(replay.ExitCode, Is.Zero, replay.ToString());

        var again = await _slack.WaitForPostAsync(p => p != first && p.Names(poison.EventId), TimeSpan.FromSeconds(60));
        Assert.That(again, Is.Not.Null, "the second failure is alerted too");
        Assert.That(again!.Text, Does.Contain("again, after a replay"));
        Assert.That(again.Content, Does.Contain($"message `{id}` failed").And.Contain($"again, after a replay at ").And.Contain($" by {Environment.UserName}"));
        Assert.That(again.Content, Does.Contain("(first alerted ").And.Contain("*Failed again, after a replay*"));
        Assert.That(first!.Content, Does.Not.Contain("again"));
    }

    [Test]
    public async Task ADatabaseFailure_IsOneLineInTheAlert_WithoutNpgsqlsRedactionNote()
    {
        await using var processor = new ProcessorFactory(_schema.ConnectionString, SlackSettings()).Start();
        var message = TestPayments.Event("payment_intent.succeeded", TestPayments.NewOrderId());
        // What Npgsql throws for a rejected row when the connection string does not include error detail.
        var rejected = new PostgresException(
            "new row for relation \"orders\" violates check constraint \"orders_status_check\"", "ERROR", "ERROR", "23514",
            detail: "Detail redacted as it may contain sensitive data. Specify 'Include Error Detail' in the connection string to include this information.");
        Assert.That(rejected.Message, Does.Contain("\n\nDETAIL: Detail redacted"), "the message as Npgsql writes it");

        // The fault as MassTransit publishes it when the consumer fails for good.
        var fault = new FaultEvent<PaymentEventReceived>(
            message, NewId.NextGuid(), HostMetadataCache.Host, rejected, ["urn:message:Webhooks.Contracts:PaymentEventReceived"]);
        await processor.Get<IBus>().Publish<Fault<PaymentEventReceived>>(fault);

        var post = await _slack.WaitForPostAsync(p => p.Names(message.EventId), TimeSpan.FromSeconds(30));

        Assert.That(post, Is.Not.Null);
        Assert.That(post!.Content, Does.Contain(
            "PostgresException: 23514: new row for relation \"orders\" violates check constraint \"orders_status_check\"\n"));
        Assert.That(post.Content, Does.Not.Contain("Detail redacted").And.Not.Contain("\n\n"));
    }

    private static PaymentEventReceived Poison(string type) => TestPayments.WithDataObject(type, JsonValue.Create("not an object"));

    private Dictionary<string, string?> SlackSettings() => new() { ["Slack:WebhookUrl"] = _slack.Url };

    private CliSettings Cli(ProcessorFactory processor) => new(_schema.ConnectionString, processor.QueueName, processor.Exchange);
}
