namespace Webhooks.Cli.Output;

/// <summary>How a question on standard error was answered.</summary>
internal enum Confirmation
{
    /// <summary>"y" or "yes" at a terminal.</summary>
    Yes,

    /// <summary>Anything else, or the end of input.</summary>
    No,

    /// <summary>Not asked: standard input is not a terminal, so nobody is there to answer.</summary>
    NoTerminal,

    /// <summary>Ctrl-C while the question was open.</summary>
    Interrupted,
}
