using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>A setting that does not parse stops the real processor process with one sentence naming the variable and what it expects.</summary>
public class ProcessorSettingTests
{
    [TestCase("StuckOrders__PendingThreshold", "banana", "StuckOrders__PendingThreshold 'banana' is not a time span: write it as hh:mm:ss (00:15:00)")]
    [TestCase("Processor__ApplyBatchSize", "lots", "Processor__ApplyBatchSize 'lots' is not a whole number")]
    [TestCase("Retention__Enabled", "yes please", "Retention__Enabled 'yes please' is not true or false")]
    [TestCase("Reconciliation__Interval", "often", "Reconciliation__Interval 'often' is not a time span")]
    [TestCase("Reconciliation__LookBack", "40.00:00:00", "Reconciliation__LookBack must be a time span between 00:01:00 and 30.00:00:00")]
    public async Task AnUnreadableValue_StopsTheProcess_NamingTheVariableAndWhatItExpects(string variable, string value, string expected)
    {
        await using var schema = await ProcessorSchema.CreateAsync();

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync("Webhooks.Processor", new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = schema.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMq,
            ["Processor__QueueName"] = TestEnvironment.UniqueName("setting-processor"),
            [variable] = value,
        });

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain(expected).And.Not.Contain("System.TimeSpan"));
    }

    [Test]
    public async Task AMistypedStripeKey_StopsTheProcess_NamingTheSetting_WithoutTheKey()
    {
        const string Key = "sk_live_ mistyped0123456789secret";
        await using var schema = await ProcessorSchema.CreateAsync();

        var (exitCode, output) = await ServiceProcess.RunUntilExitAsync("Webhooks.Processor", new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = schema.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMq,
            ["Processor__QueueName"] = TestEnvironment.UniqueName("setting-processor"),
            ["Reconciliation__Stripe__ApiKey"] = Key,
        });

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("Reconciliation__Stripe__ApiKey is not a Stripe API key"));
        Assert.That(output, Does.Not.Contain("mistyped0123456789secret"));
    }
}
