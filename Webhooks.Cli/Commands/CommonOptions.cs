using System.CommandLine;

namespace Webhooks.Cli.Commands;

/// <summary>Options several verbs share; a new instance per verb, as each belongs to one command.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print JSON only (for scripts) instead of a table." };

    public static Option<int> Limit(int defaultValue, string what) =>
        new("--limit") { Description = $"Show at most this many {what}.", DefaultValueFactory = _ => defaultValue, HelpName = "N" };

    public static Option<string?> Type(string description) => new("--type") { Description = description, HelpName = "T" };

    public static Option<bool> DryRun(string description) => new("--dry-run") { Description = description };

    public static Option<bool> Yes(string description) => new("--yes", "-y") { Description = description };

    public static Argument<string[]> Ids(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };

    /// <summary>Message ids as <c>dlq list</c> shows them: MassTransit's ids are GUIDs, and anything else is a usage error.</summary>
    public static Argument<string[]> MessageIds(string description)
    {
        var argument = Ids("message-id", description);
        argument.Validators.Add(result => CommandLineGuards.RequireMessageIds(result));
        return argument;
    }

    public static Argument<string> MessageId(string description)
    {
        var argument = new Argument<string>("message-id") { Description = description };
        argument.Validators.Add(result => CommandLineGuards.RequireMessageIds(result));
        return argument;
    }

    public static string[] ValuesOf(this ParseResult parse, Argument<string[]> argument) => parse.GetValue(argument) ?? [];
}
