using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Webhooks.Tests.Infrastructure;

/// <summary>What RabbitMQ's management API says of a queue: AMQP cannot tell a queue's type.</summary>
public static class BrokerManagement
{
    /// <summary>The queue's type (<c>classic</c>, <c>quorum</c>), or null when it does not exist.</summary>
    public static async Task<string?> QueueTypeAsync(string queue)
    {
        var address = TestEnvironment.RabbitMqAddress;
        var baseAddress = Environment.GetEnvironmentVariable("WEBHOOKS_RABBIT_MGMT_URL") ?? "http://127.0.0.1:15720/";
        using var management = new HttpClient { BaseAddress = new Uri(baseAddress) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{address.Username}:{address.Password}")));
        var path = $"api/queues/{Uri.EscapeDataString(address.VirtualHost)}/{Uri.EscapeDataString(queue)}";
        using var response = await management.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("type").GetString();
    }
}
