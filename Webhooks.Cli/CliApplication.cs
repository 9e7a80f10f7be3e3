using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Cli.Commands;

namespace Webhooks.Cli;

/// <summary>
/// Parses the command line, runs the verb and turns every outcome into the contract's exit code:
/// 0 done, 1 failed, 2 usage error, with any error as one sentence on standard error.
/// </summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        await using var run = new CliRun(environment);
        var parse = CreateRootCommand(run).Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            return Fail(environment, UsageError(parse.Errors), CliExitCode.Usage);
        }

        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = environment.Out,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
                // After Ctrl-C, time to hand held messages back and write the audit row before the process ends.
                ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
            };
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (CliException ex)
        {
            return Fail(environment, ex.Message, ex.ExitCode);
        }
        catch (OptionsValidationException ex)
        {
            // The validators' messages name the variable to fix, e.g. "ConnectionStrings__Postgres is not set: ...".
            return Fail(environment, OptionsFailure(ex.Failures.FirstOrDefault() ?? ex.Message), CliExitCode.Failure);
        }
        catch (FormatException ex) when (ex.Message.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
        {
            return Fail(environment, ex.Message, CliExitCode.Failure);
        }
        catch (NpgsqlException ex)
        {
            return Fail(environment, $"PostgreSQL failed: {DatabaseFailure.Describe(ex)} (check ConnectionStrings__Postgres)", CliExitCode.Failure);
        }
        catch (OperationCanceledException)
        {
            return Fail(environment, "Stopped before the end: every message not yet replayed or deleted is back in its queue", CliExitCode.Failure);
        }
#pragma warning disable CA1031 // The last line of defence: an on-call tool answers in one sentence, never with a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(environment, $"Unexpected {ex.GetType().Name}: {ex.Message}", CliExitCode.Failure);
        }
    }

    /// <summary>The verbs: <c>dlq</c>, <c>events</c>, <c>orders</c>, <c>reconcile</c>, <c>simulate</c>.</summary>
    internal static Command CreateRootCommand(CliRun run)
    {
        var root = CreateVerbs(run);
        CommandLineGuards.RejectOptionLikeValues(root);
        return root;
    }

    private static Command CreateVerbs(CliRun run) => new(
        // Named as it is typed, for the usage lines of --help (a RootCommand would say "Webhooks.Cli").
        "./webhooks",
        "The on-call tool of the webhook service: dead-lettered messages, stored events, orders and their diagnosis, reconciliation with the "
        + "gateway, and a payment gateway to try it with. Reads the same settings as the services (ConnectionStrings__Postgres, "
        + "ConnectionStrings__RabbitMq, Broker__EventExchange, Processor__QueueName, StuckOrders__PendingThreshold, Reconciliation__*). "
        + "Exit codes: 0 done, 1 failed, 2 usage error.")
    {
        new HelpOption(),
        new VersionOption(),
        DlqCommand.Create(run),
        EventsCommand.Create(run),
        OrdersCommand.Create(run),
        ReconcileCommand.Create(run),
        SimulateCommand.Create(run),
    };

    private static string UsageError(IReadOnlyList<ParseError> errors)
    {
        // A word that looks like an option, or an unknown word, explains the rest ("required command
        // was not provided", "not a message id" follow from it).
        var error = errors.FirstOrDefault(e => e.Message.Contains(CommandLineGuards.OptionLikeMarker, StringComparison.Ordinal))
            ?? errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))
            ?? errors[0];
        var sentence = OptionValueError(error) ?? error.Message.TrimEnd('.');
        return sentence.Contains("--help", StringComparison.Ordinal) ? sentence : $"{sentence} (see ./webhooks --help)";
    }

    /// <summary>"--limit 'abc' is not a whole number" instead of the parser's "as expected type 'System.Int32'".</summary>
    private static string? OptionValueError(ParseError error)
    {
        if (!error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            return null;
        }

        var result = error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult;
        if (result is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(result.Option.ValueType) ?? result.Option.ValueType;
        var expected = type == typeof(int) || type == typeof(long) ? "a whole number, e.g. 100"
            : type == typeof(double) ? "a number, e.g. 0.5"
            : type == typeof(bool) ? "true or false"
            : null;
        var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        return expected is null || value is null ? null : $"{result.Option.Name} '{value}' is not {expected}";
    }

    /// <summary>The validator's own sentence out of the framework's wrapping ("DataAnnotation validation failed for ... with the error: '...'").</summary>
    private static string OptionsFailure(string failure)
    {
        const string Marker = "with the error: '";
        var start = failure.IndexOf(Marker, StringComparison.Ordinal);
        return start < 0 ? failure : failure[(start + Marker.Length)..].TrimEnd('.').TrimEnd('\'');
    }

    private static int Fail(CliEnvironment environment, string message, int exitCode)
    {
        var sentence = message.ReplaceLineEndings(" ").Trim();
        environment.Error.WriteLine(sentence.EndsWith('.') || sentence.EndsWith('?') ? sentence : sentence + ".");
        return exitCode;
    }
}
