using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace Webhooks.Cli.Commands;

/// <summary>
/// What makes a mistyped command line a usage error instead of an action. A verb that takes
/// several ids would otherwise take a misspelt option (<c>--dryrun</c>) as one more id and act on
/// the others; so no argument or option value may look like an option, on any verb.
/// </summary>
internal static class CommandLineGuards
{
    public const string OptionLikeMarker = "looks like an option";

    /// <summary>Adds the guard to every argument and option value under <paramref name="root"/>.</summary>
    public static void RejectOptionLikeValues(Command root)
    {
        foreach (var argument in root.Arguments)
        {
            argument.Validators.Add(result => RejectOptionLike(result, root));
        }

        foreach (var option in root.Options.Where(o => o is not HelpOption and not VersionOption))
        {
            option.Validators.Add(result => RejectOptionLike(result, root));
        }

        foreach (var command in root.Subcommands)
        {
            RejectOptionLikeValues(command);
        }
    }

    /// <summary>Every value is a message id: a GUID, as MassTransit writes them and <c>dlq list</c> shows them.</summary>
    public static void RequireMessageIds(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (!IsOptionLike(token.Value) && !Guid.TryParse(token.Value, out _))
            {
                result.AddError(
                    $"'{token.Value}' is not a message id: message ids are GUIDs such as 8b1e5f0a-2c3d-4e5f-9a0b-1c2d3e4f5a6b, as dlq list shows them");
                return;
            }
        }
    }

    public static bool IsOptionLike(string token) =>
        token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]) && token[1] != '.';

    private static void RejectOptionLike(SymbolResult result, Command command)
    {
        foreach (var token in result.Tokens)
        {
            if (IsOptionLike(token.Value))
            {
                result.AddError($"'{token.Value}' {OptionLikeMarker}, and {Name(command)} has no such option (see {Name(command)} --help)");
                return;
            }
        }
    }

    private static string Name(Command command)
    {
        var names = new List<string>();
        for (var symbol = (Symbol?)command; symbol is not null; symbol = symbol.Parents.FirstOrDefault())
        {
            names.Add(symbol.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
