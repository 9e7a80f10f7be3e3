using System.Globalization;

namespace Webhooks.Cli.Output;

/// <summary>"1 message", "1,204 messages".</summary>
internal static class Counts
{
    public static string Of(long count, string noun) => Of(count, noun, noun + "s");

    public static string Of(long count, string noun, string plural) =>
        count == 1 ? $"1 {noun}" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} {plural}";

    public static string Messages(long count) => Of(count, "message");

    public static string Events(long count) => Of(count, "event");
}
