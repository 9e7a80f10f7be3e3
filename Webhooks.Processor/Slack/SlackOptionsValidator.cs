using Microsoft.Extensions.Options;

namespace Webhooks.Processor.Slack;

/// <summary>Stops the process on an unusable Slack URL, naming the variable but never its value (a secret).</summary>
public sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.WebhookUrl))
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "Slack__WebhookUrl is not an absolute http(s) URL: give the incoming-webhook URL from Slack, or leave it unset to log alerts.");
    }
}
