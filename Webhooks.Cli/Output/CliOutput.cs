using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace Webhooks.Cli.Output;

/// <summary>
/// Where a run writes. Standard output carries the result only: a table for people, or JSON alone
/// with <c>--json</c>. Questions, progress, notes and the audit log go to standard error, so that
/// a script reading standard output never sees them.
/// </summary>
internal sealed class CliOutput
{
    // Past this many messages a replay is long enough to deserve a bar (on a terminal only).
    private const int ProgressThreshold = 20;

    // Redirected output has no width of its own: wide enough that ids and reasons are not wrapped.
    private const int RedirectedWidth = 320;

    // Relaxed escaping: the JSON goes to a terminal or a script, never into HTML, and a payload's
    // "ü" or "<" should read as it was sent.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly CliEnvironment _environment;

    public CliOutput(CliEnvironment environment)
    {
        _environment = environment;
        Console = CreateConsole(environment.Out, environment.OutIsTerminal, environment.Columns);
        ErrorConsole = CreateConsole(environment.Error, environment.ErrorIsTerminal, environment.Columns);
    }

    /// <summary>Standard output, for tables and results.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard error, for progress.</summary>
    public IAnsiConsole ErrorConsole { get; }

    public void Json<T>(T value) => _environment.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public void Line(string text) => _environment.Out.WriteLine(text);

    /// <summary>A remark for the person at the terminal, never part of the result.</summary>
    public void Note(string text) => _environment.Error.WriteLine(text);

    /// <summary>One line of the run's log on standard error, with the time it was written.</summary>
    public void Log(string text) =>
        _environment.Error.WriteLine($"{_environment.TimeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)} {text}");

    /// <summary>
    /// Asks on standard error and reads the answer from standard input, only when that is a
    /// terminal: a pipe or a file (<c>echo y | ...</c>) is never taken for a person. Only "y" or
    /// "yes" agree; the end of input keeps the default, which is never to change anything. Ctrl-C
    /// (<paramref name="cancellationToken"/>) is an answer at once, without waiting for Enter.
    /// </summary>
    public async Task<Confirmation> ConfirmAsync(string question, CancellationToken cancellationToken)
    {
        if (!_environment.InIsTerminal)
        {
            return Confirmation.NoTerminal;
        }

        _environment.Error.Write($"{question} [y/N] ");
        _environment.Error.Flush();
        // The read cannot be cancelled, so it runs aside: Ctrl-C answers without it, and the process
        // ends with that thread still waiting for a line nobody will type.
        var read = Task.Run(() => _environment.In.ReadLine(), CancellationToken.None);
        var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(read, interrupted) != read)
        {
            _environment.Error.WriteLine();
            return Confirmation.Interrupted;
        }

        var answer = (await read)?.Trim();
        if (answer is null)
        {
            _environment.Error.WriteLine();
        }

        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
            ? Confirmation.Yes
            : Confirmation.No;
    }

    /// <summary>
    /// Asks <paramref name="question"/> unless <paramref name="yes"/>; anything but a "y" at a
    /// terminal ends the run with one sentence that says nothing was done and why.
    /// </summary>
    /// <param name="nothingDone">What was not done, e.g. "Nothing was deleted".</param>
    /// <param name="what">What was asked about, e.g. "the purge of 2 messages".</param>
    public async Task ConfirmOrStopAsync(string question, bool yes, string nothingDone, string what, CancellationToken cancellationToken)
    {
        if (yes)
        {
            return;
        }

        var answer = await ConfirmAsync(question, cancellationToken);
        if (answer == Confirmation.Yes)
        {
            return;
        }

        throw answer switch
        {
            Confirmation.NoTerminal => new CliException(
                $"{nothingDone}, because standard input is not a terminal, so nobody could confirm {what}: pass --yes to do it without a question."),
            Confirmation.Interrupted => new CliException($"{nothingDone}, because the question about {what} was answered with Ctrl-C."),
            _ => new CliException($"{nothingDone}, because {what} was not confirmed (answer y, or pass --yes)."),
        };
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar on standard error when that is a terminal and
    /// the work is long; otherwise just runs it. The callback advances the bar by one.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, long total, Func<Action, Task<T>> work)
    {
        if (!_environment.ErrorIsTerminal || total < ProgressThreshold)
        {
            return await work(() => { });
        }

        return await ErrorConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                var result = await work(() => task.Increment(1));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a status line on standard error when that is a terminal (for work of
    /// unknown length, such as paging through an API); the callback sets the line's text.
    /// </summary>
    public async Task<T> WithStatusAsync<T>(string description, Func<Action<string>, Task<T>> work)
    {
        if (!_environment.ErrorIsTerminal)
        {
            return await work(_ => { });
        }

        return await ErrorConsole.Status().StartAsync(Markup.Escape(description), async context =>
            await work(text => context.Status(Markup.Escape(text))));
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool isTerminal, int? columns)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (columns is { } width)
        {
            console.Profile.Width = width;
        }
        else if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
