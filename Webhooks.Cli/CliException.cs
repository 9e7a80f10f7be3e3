namespace Webhooks.Cli;

/// <summary>
/// A failure the CLI explains in one sentence on standard error and ends with its exit code:
/// <see cref="CliExitCode.Failure"/> when the work could not be done,
/// <see cref="CliExitCode.Usage"/> when the command line asked for something it cannot mean.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(string message, int exitCode = CliExitCode.Failure, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this("The command failed.")
    {
    }

    public CliException(string message)
        : this(message, CliExitCode.Failure)
    {
    }

    public CliException(string message, Exception innerException)
        : this(message, CliExitCode.Failure, innerException)
    {
    }

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(message, CliExitCode.Usage);
}
