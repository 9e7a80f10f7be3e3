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

    public static string[] ValuesOf(this ParseResult parse, Argument<string[]> argument) => parse.GetValue(argument) ?? [];
}
