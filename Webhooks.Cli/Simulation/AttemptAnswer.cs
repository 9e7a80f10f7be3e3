namespace Webhooks.Cli.Simulation;

/// <summary>
/// What one HTTP attempt got: the status code and, from the body, the receiver's acknowledgement
/// (<c>accepted</c> or <c>duplicate</c>) or a problem's detail; no status when no answer came at all.
/// </summary>
internal sealed record AttemptAnswer(int? StatusCode, string? Ack, string? Detail)
{
    public const string NoAnswer = "no answer";

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The answer as the summary counts it: "200", "503", or "no answer".</summary>
    public string Label => StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? NoAnswer;

    public static AttemptAnswer None(string detail) => new(null, null, detail);
}
