using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Webhooks.Infrastructure;

namespace Webhooks.Cli.Output;

/// <summary>
/// Table cells from data. Always plain <see cref="Text"/>, never markup: a reason or a payload may
/// contain square brackets, which markup would read as styles (or reject).
/// </summary>
internal static class Cells
{
    public const string Missing = "-";

    public static IRenderable Of(string? value) => new Text(string.IsNullOrEmpty(value) ? Missing : value);

    public static IRenderable Of(long value) => new Text(value.ToString("N0", CultureInfo.InvariantCulture));

    public static IRenderable Of(DateTimeOffset? value) => new Text(Time(value));

    /// <summary>A long text as one line, cut at <paramref name="max"/> characters.</summary>
    public static IRenderable Short(string? value, int max) => new Text(OneLine(value, max));

    /// <summary>A failure's text as one line (see <see cref="FailureText"/>), cut at <paramref name="max"/> characters.</summary>
    public static string OneLine(string? value, int max)
    {
        var line = FailureText.OneLine(value);
        if (line.Length == 0)
        {
            return Missing;
        }

        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) =>
        value is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : Missing;

    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            var column = new TableColumn(new Text(header, new Style(decoration: Decoration.Bold)));
            // An id is copied from here into the next command: it must never be split over two lines.
            if (header.EndsWith(" id", StringComparison.Ordinal))
            {
                column.NoWrap();
            }

            table.AddColumn(column);
        }

        return table;
    }
}
