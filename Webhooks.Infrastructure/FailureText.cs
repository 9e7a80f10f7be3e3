using System.Text.RegularExpressions;

namespace Webhooks.Infrastructure;

/// <summary>
/// A failure's message as one line for people: an alert, a log line, a table cell. Npgsql's note
/// that it left the detail out (it always does, without "Include Error Detail") says nothing about
/// the failure and is dropped; line breaks and blank lines, which break a Slack list and a log
/// line, become single spaces.
/// </summary>
public static partial class FailureText
{
    public static string OneLine(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "";
        }

        var withoutNote = RedactedDetail().Replace(message, " ");
        return Whitespace().Replace(withoutNote, " ").Trim().TrimEnd(':').TrimEnd();
    }

    /// <summary>The exception's type without its namespace and its message, e.g. "PostgresException: 23514: new row ...".</summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {OneLine(exception.Message)}";
    }

    [GeneratedRegex(
        @"(DETAIL:\s*)?Detail redacted as it may contain sensitive data\. "
        + @"Specify 'Include Error Detail' in the connection string to include this information\.?")]
    private static partial Regex RedactedDetail();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
