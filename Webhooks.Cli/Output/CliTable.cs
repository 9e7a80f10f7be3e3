using System.Globalization;
using Spectre.Console;

namespace Webhooks.Cli.Output;

/// <summary>
/// A table laid out for the console's width (a terminal's, or <c>COLUMNS</c>): every column that
/// fits, most important first, ids never wrapped, other text wrapped; the caption names the columns
/// left out, which <c>--json</c> always has. Cells are plain text, never markup: a reason or a
/// payload may contain square brackets.
/// </summary>
internal sealed class CliTable(params CliColumn[] columns)
{
    // A rounded table spends one character on its left edge and three per column: a border and
    // one space of padding on each side.
    private const int EdgeWidth = 1;
    private const int ColumnOverhead = 3;

    private readonly List<string[]> _rows = [];

    public string? Caption { get; set; }

    public int RowCount => _rows.Count;

    public void AddRow(params string?[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"A row of this table has {columns.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add([.. cells.Select(c => string.IsNullOrEmpty(c) ? Cells.Missing : c)]);
    }

    public void Write(IAnsiConsole console)
    {
        var shown = Fit(console.Profile.Width);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var index in shown)
        {
            var column = new TableColumn(new Text(columns[index].Header, new Style(decoration: Decoration.Bold)));
            if (columns[index].NoWrap)
            {
                column.NoWrap();
            }

            table.AddColumn(column);
        }

        foreach (var row in _rows)
        {
            table.AddRow(shown.Select(index => new Text(row[index])));
        }

        var hidden = columns.Where((_, index) => !shown.Contains(index)).Select(c => c.Header.ToLowerInvariant()).ToList();
        var width = console.Profile.Width.ToString(CultureInfo.InvariantCulture);
        var caption = hidden.Count == 0
            ? Caption
            : $"{Caption}{(Caption is null ? "" : "; ")}{string.Join(", ", hidden)} left out at {width} columns (--json has them)";
        if (caption is not null)
        {
            table.Caption(Markup.Escape(caption));
        }

        console.Write(table);
    }

    /// <summary>The indexes of the columns shown, in table order: by rank, each that still fits.</summary>
    private List<int> Fit(int width)
    {
        var used = EdgeWidth;
        var shown = new List<int>();
        foreach (var index in Enumerable.Range(0, columns.Length).OrderBy(i => columns[i].Rank))
        {
            var need = Need(index) + ColumnOverhead;
            if (columns[index].Rank == 0 || used + need <= width)
            {
                used += need;
                shown.Add(index);
            }
        }

        shown.Sort();
        return shown;
    }

    /// <summary>The narrowest a column can be: an id its longest value, wrapping text its minimum (or less, when its values are all short).</summary>
    private int Need(int index)
    {
        var column = columns[index];
        var longest = _rows.Select(r => r[index].Length).DefaultIfEmpty(0).Max();
        var header = column.Header.Split(' ').Max(word => word.Length);
        return column.NoWrap ? Math.Max(column.Header.Length, longest) : Math.Max(header, Math.Min(column.MinWidth, longest));
    }
}
