using System.Net;
using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status and, for errors, a problem+json body; returns the parsed body.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        if ((int)status >= 400 && status != HttpStatusCode.RequestEntityTooLarge)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task ExpectAckAsync(HttpResponseMessage response, string status, string id)
    {
        var body = await ExpectAsync(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo(status));
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(body.EnumerateObject().Count(), Is.EqualTo(2), "the acknowledgement has exactly status and id");
        });
    }
}
