using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Ingestion;

/// <summary>The headers kept with a stored event, as a JSON object: enough to re-verify and to trace it.</summary>
internal static class HeaderSnapshot
{
    private static readonly string[] Common = ["content-type", "user-agent", "content-length"];

    // A stored header is evidence, not a dump: bounded per value.
    private const int MaxValueLength = 4096;

    public static string ToJson(IHeaderDictionary headers, IReadOnlyList<string> schemeHeaders)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            Write(writer, headers, Common);
            Write(writer, headers, schemeHeaders);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void Write(Utf8JsonWriter writer, IHeaderDictionary headers, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            var value = headers[name];
            if (value.Count > 0)
            {
                var text = value.ToString();
                writer.WriteString(name, text.Length > MaxValueLength ? text[..MaxValueLength] : text);
            }
        }
    }
}
