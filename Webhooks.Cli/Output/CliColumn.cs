namespace Webhooks.Cli.Output;

/// <summary>
/// A column of a <see cref="CliTable"/>. <paramref name="Rank"/> 0 is always shown; on a narrow
/// terminal the highest ranks are left out first. An id never wraps (it is copied into the next
/// command); other text wraps down to <paramref name="MinWidth"/>.
/// </summary>
internal sealed record CliColumn(string Header, int Rank, bool NoWrap = false, int MinWidth = 10)
{
    public static CliColumn Id(string header, int rank = 0) => new(header, rank, NoWrap: true);
}
