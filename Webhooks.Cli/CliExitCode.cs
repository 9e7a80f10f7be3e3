namespace Webhooks.Cli;

/// <summary>The contract's exit codes.</summary>
public static class CliExitCode
{
    public const int Success = 0;

    public const int Failure = 1;

    public const int Usage = 2;
}
