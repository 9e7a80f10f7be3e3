using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Reconciliation;

/// <summary>
/// Stripe.net's client against a local stand-in for Stripe's API, over real HTTP: paging, and each kind of
/// failure (401 at once, 429 after its Retry-After, 5xx and time-outs retried) on a fake clock, so that the
/// retry delays and the time-out are the pipeline's, not the test's.
/// </summary>
public class StripeGatewayTests
{
    private StripeStandIn _stripe = null!;
    private FakeTimeProvider _clock = null!;
    private CapturedLogs _logs = null!;
    private ServiceProvider _metrics = null!;
    private ReconciliationTelemetry _telemetry = null!;

    [SetUp]
    public async Task StartStandIn()
    {
        _stripe = await StripeStandIn.StartAsync();
        _clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 15, 9, 0, 0, TimeSpan.Zero));
        _logs = new CapturedLogs();
        _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _telemetry = new ReconciliationTelemetry(_metrics.GetRequiredService<IMeterFactory>());
    }

    [TearDown]
    public async Task StopStandIn()
    {
        await _stripe.DisposeAsync();
        _telemetry.Dispose();
        await _metrics.DisposeAsync();
    }

    [Test]
    public async Task ListUndelivered_PagesWithStartingAfter_UntilHasMoreIsFalse()
    {
        _stripe.PageSize = 10;
        var ids = Enumerable.Range(0, 25).Select(i => AddUndelivered(TestPayment.Made.AddMinutes(i))).ToList();
        using var gateway = Gateway();
        var pages = new List<int>();
        var listed = new List<string>();

        await gateway.ListUndeliveredAsync(TestPayment.Made.AddDays(-1), page =>
        {
            pages.Add(page.Count);
            listed.AddRange(page.Select(e => e.Id));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.That(pages, Is.EqualTo(new[] { 10, 10, 5 }));
        Assert.That(listed, Is.EqualTo(Enumerable.Reverse(ids)), "every event once, newest first");
        Assert.That(_stripe.Requests.Count(r => r.Contains("starting_after=", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(_stripe.Requests.All(r => r.Contains("delivery_success=false", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void Unauthorized_FailsAtOnce_InOneSentence_NeverWithTheKey()
    {
        _stripe.FailNext(401);
        using var gateway = Gateway();

        var failure = Assert.ThrowsAsync<GatewayException>(() => gateway.PaymentIntentStatusAsync("pi_test_1", CancellationToken.None));

        Assert.That(failure!.Kind, Is.EqualTo(GatewayFailureKind.Unauthorized));
        Assert.That(failure.Message, Does.Contain("401").And.Contain("Reconciliation__Stripe__ApiKey"));
        Assert.That(failure.Message.Split(". ", StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "one sentence");
        Assert.That(failure.ToString(), Does.Not.Contain(StripeStandIn.Key));
        Assert.That(_stripe.CountRequests("/v1/payment_intents"), Is.EqualTo(1), "a refused key is not tried again");
        Assert.That(_logs.Lines.Where(l => l.Contains(StripeStandIn.Key, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task TooManyRequests_IsTriedAgainAfterItsRetryAfter()
    {
        _stripe.SetPaymentIntentStatus("pi_test_2", "requires_payment_method");
        _stripe.FailNext(429, retryAfterSeconds: 7);
        using var gateway = Gateway();
        var started = _clock.GetUtcNow();

        var status = await _clock.AdvanceUntilDoneAsync(gateway.PaymentIntentStatusAsync("pi_test_2", CancellationToken.None), TimeSpan.FromSeconds(1));

        Assert.That(status, Is.EqualTo("requires_payment_method"));
        Assert.That(_stripe.CountRequests("/v1/payment_intents"), Is.EqualTo(2));
        Assert.That(_clock.GetUtcNow() - started, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)), "not before the Retry-After");
    }

    [Test]
    public async Task ServerErrors_AreTriedAgain_ThenTheAnswerCounts()
    {
        _stripe.SetPaymentIntentStatus("pi_test_3", "succeeded");
        _stripe.FailNext(500);
        _stripe.FailNext(503);
        using var gateway = Gateway();

        var status = await _clock.AdvanceUntilDoneAsync(gateway.PaymentIntentStatusAsync("pi_test_3", CancellationToken.None), TimeSpan.FromSeconds(1));

        Assert.That(status, Is.EqualTo("succeeded"));
        Assert.That(_stripe.CountRequests("/v1/payment_intents"), Is.EqualTo(3));
    }

    [Test]
    public async Task ServerErrorsEveryTime_FailAfterTheRetries_InOneSentence()
    {
        for (var i = 0; i <= StripeGateway.MaxRetries; i++)
        {
            _stripe.FailNext(502);
        }

        using var gateway = Gateway();
        var work = gateway.ListUndeliveredAsync(_clock.GetUtcNow().AddDays(-1), _ => Task.CompletedTask, CancellationToken.None);
        await _clock.AdvanceUntilDoneAsync(work.ContinueWith(t => t.Exception, TaskScheduler.Default), TimeSpan.FromSeconds(1));

        var failure = (GatewayException)work.Exception!.InnerException!;
        Assert.That(failure.Kind, Is.EqualTo(GatewayFailureKind.ServerError));
        Assert.That(failure.Message, Does.Contain("502").And.Contain($"asked {StripeGateway.MaxRetries + 1} times"));
        Assert.That(_stripe.CountRequests("/v1/events"), Is.EqualTo(StripeGateway.MaxRetries + 1));
        Assert.That(Failures(GatewayFailureKind.ServerError), Is.EqualTo(StripeGateway.MaxRetries + 1), "webhooks.gateway.failures counts every try");
        Assert.That(Failures(GatewayFailureKind.Unauthorized), Is.Zero, "every kind is exported from the start");
    }

    [Test]
    public async Task NoAnswer_TimesOutOnTheClock_AndIsTriedAgain()
    {
        _stripe.SetPaymentIntentStatus("pi_test_4", "processing");
        _stripe.FailNext(0);
        using var gateway = Gateway();
        var started = _clock.GetUtcNow();

        var status = await _clock.AdvanceUntilDoneAsync(gateway.PaymentIntentStatusAsync("pi_test_4", CancellationToken.None), TimeSpan.FromSeconds(2));

        Assert.That(status, Is.EqualTo("processing"));
        Assert.That(_stripe.CountRequests("/v1/payment_intents"), Is.EqualTo(2));
        Assert.That(_clock.GetUtcNow() - started, Is.GreaterThanOrEqualTo(StripeGateway.CallTimeout), "the first try ended by the time-out");
    }

    /// <summary>The value of <c>webhooks.gateway.failures</c> for <paramref name="kind"/>, from this test's own meter.</summary>
    private long Failures(string kind)
    {
        var factory = _metrics.GetRequiredService<IMeterFactory>();
        long value = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "webhooks.gateway.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "kind" && (string?)tag.Value == kind)
                {
                    value = measurement;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    private string AddUndelivered(DateTimeOffset created)
    {
        var payment = TestPayment.New();
        var message = payment.Intent("payment_intent.succeeded", made: created);
        _stripe.AddUndelivered(message.Payload);
        return message.EventId;
    }

    private StripeGateway Gateway()
    {
        var options = new ReconciliationOptions { Stripe = { ApiKey = StripeStandIn.Key, ApiBase = _stripe.Url } };
        var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));
        return new StripeGateway(
            Options.Create(options), _clock, _telemetry,
            loggers.CreateLogger<StripeGateway>());
    }
}
