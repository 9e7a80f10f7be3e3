namespace Webhooks.Cli;

/// <summary>The settings file beside the CLI's dll, with the local development defaults.</summary>
public static class CliSettingsFile
{
    // Not "appsettings.json": test hosts that load the CLI in-process already have the receiver's
    // file of that name in their folder.
    public const string Name = "webhooks-cli.settings.json";
}
