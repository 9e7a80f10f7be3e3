namespace Webhooks.Cli;

/// <summary>
/// What one run of the CLI talks to: its standard streams, its settings and clock, and who runs it.
/// The process passes the real ones; tests pass writers of their own and settings that point at
/// their own schema and queues.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Standard output is a terminal: tables get colour and the terminal's width.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Standard error is a terminal: long replays show a progress bar there.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>
    /// Standard input is a terminal: only then is there someone to answer a question. Without one
    /// (a pipe, a file, a script) a command that asks refuses unless <c>--yes</c> was given.
    /// </summary>
    public bool InIsTerminal { get; init; }

    /// <summary>The width tables are laid out for, from <c>COLUMNS</c>; null: the terminal's own (or a wide default when redirected).</summary>
    public int? Columns { get; init; }

    /// <summary>
    /// The settings file read first (environment variables override it); null reads none. Beside the
    /// CLI's dll when run as a process, so that the CLI works with no settings at all on a
    /// development machine.
    /// </summary>
    public string? SettingsFile { get; init; }

    /// <summary>Settings over the environment's, in configuration syntax (<c>ConnectionStrings:Postgres</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// What <c>simulate</c> sends its requests through; null is the network. Tests pass the handler of
    /// a receiver hosted in memory (or one that plays a failing receiver in front of it).
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>The operating-system user, for the audit trail.</summary>
    public string UserName { get; init; } = OperatingSystemUser();

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        InIsTerminal = !Console.IsInputRedirected,
        Columns = ColumnsFromEnvironment(),
        SettingsFile = Path.Combine(AppContext.BaseDirectory, CliSettingsFile.Name),
    };

    private static int? ColumnsFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("COLUMNS");
        var parsed = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns);
        return parsed && columns >= 40 ? columns : null;
    }

    private static string OperatingSystemUser()
    {
        // Under sudo the account that typed the command is the one worth recording.
        var sudoUser = Environment.GetEnvironmentVariable("SUDO_USER");
        return string.IsNullOrWhiteSpace(sudoUser) ? Environment.UserName : $"{sudoUser} (sudo as {Environment.UserName})";
    }
}
