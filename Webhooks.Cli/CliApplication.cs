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
            return Fail(environment, ex.Failures.FirstOrDefault() ?? ex.Message, CliExitCode.Failure);
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

    /// <summary>The verbs: <c>dlq</c>, <c>events</c>, <c>orders</c>, <c>simulate</c>.</summary>
    internal static Command CreateRootCommand(CliRun run) => new(
        // Named as it is typed, for the usage lines of --help (a RootCommand would say "Webhooks.Cli").
        "./webhooks",
        "The on-call tool of the webhook service: dead-lettered messages, stored events and stuck orders, and a payment gateway to try it with. "
        + "Reads the same settings as the services (ConnectionStrings__Postgres, ConnectionStrings__RabbitMq, Broker__EventExchange, "
        + "Processor__QueueName, StuckOrders__PendingThreshold). Exit codes: 0 done, 1 failed, 2 usage error.")
    {
        new HelpOption(),
        new VersionOption(),
        DlqCommand.Create(run),
        EventsCommand.Create(run),
        OrdersCommand.Create(run),
        SimulateCommand.Create(run),
    };

    private static string UsageError(IReadOnlyList<ParseError> errors)
    {
        // An unknown word explains the rest ("required command was not provided" follows from it).
        var error = errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? errors[0];
        return $"{error.Message.TrimEnd('.')} (see ./webhooks --help)";
    }

    private static int Fail(CliEnvironment environment, string message, int exitCode)
    {
        var sentence = message.ReplaceLineEndings(" ").Trim();
        environment.Error.WriteLine(sentence.EndsWith('.') || sentence.EndsWith('?') ? sentence : sentence + ".");
        return exitCode;
    }
}
