using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using MassTransit;
using Webhooks.Contracts;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// Writes a <see cref="PaymentEventReceived"/> in MassTransit's JSON envelope
/// (<c>application/vnd.masstransit+json</c>), the format the processor's MassTransit consumer reads.
/// Written by hand with a <see cref="Utf8JsonWriter"/> rather than through MassTransit's send
/// pipeline: this is the receiver's hottest path after the commit (see bench/RESULTS.md).
/// </summary>
public sealed class MassTransitEnvelope
{
    public const string ContentType = "application/vnd.masstransit+json";

    /// <summary>The header MassTransit reads the parent trace context from.</summary>
    public const string ActivityIdHeader = "MT-Activity-Id";

    private static readonly string MessageType = MessageUrn.ForTypeString<PaymentEventReceived>();

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // As MassTransit's own serializer: the payload's quotes and non-ASCII text stay compact.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly string _destinationAddress;
    private readonly string _machineName = Environment.MachineName;
    private readonly string _processName;
    private readonly int _processId = Environment.ProcessId;
    private readonly string _assembly;
    private readonly string _assemblyVersion;
    private readonly string _frameworkVersion = Environment.Version.ToString();
    private readonly string _osVersion = Environment.OSVersion.ToString();

    public MassTransitEnvelope(string destinationAddress)
    {
        _destinationAddress = destinationAddress;
        using var process = Process.GetCurrentProcess();
        _processName = process.ProcessName;
        var assembly = Assembly.GetEntryAssembly()?.GetName();
        _assembly = assembly?.Name ?? "Webhooks.Receiver";
        _assemblyVersion = assembly?.Version?.ToString() ?? "0.0.0.0";
    }

    public byte[] Write(in OutgoingEvent outgoing, DateTimeOffset sentTime)
    {
        var buffer = new ArrayBufferWriter<byte>(outgoing.Message.Payload.Length + 1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var message = outgoing.Message;
            json.WriteStartObject();
            json.WriteString("messageId"u8, outgoing.MessageId);
            json.WriteString("destinationAddress"u8, _destinationAddress);
            json.WriteStartArray("messageType"u8);
            json.WriteStringValue(MessageType);
            json.WriteEndArray();

            json.WriteStartObject("message"u8);
            json.WriteNumber("storedEventId"u8, message.StoredEventId);
            json.WriteString("provider"u8, message.Provider);
            json.WriteString("eventId"u8, message.EventId);
            if (message.EventType is null)
            {
                json.WriteNull("eventType"u8);
            }
            else
            {
                json.WriteString("eventType"u8, message.EventType);
            }

            json.WriteString("receivedAt"u8, message.ReceivedAt);
            json.WriteString("payload"u8, message.Payload);
            json.WriteEndObject();

            json.WriteString("sentTime"u8, sentTime.UtcDateTime);
            json.WriteStartObject("headers"u8);
            if (outgoing.TraceParent is not null)
            {
                json.WriteString(ActivityIdHeader, outgoing.TraceParent);
            }

            json.WriteEndObject();

            json.WriteStartObject("host"u8);
            json.WriteString("machineName"u8, _machineName);
            json.WriteString("processName"u8, _processName);
            json.WriteNumber("processId"u8, _processId);
            json.WriteString("assembly"u8, _assembly);
            json.WriteString("assemblyVersion"u8, _assemblyVersion);
            json.WriteString("frameworkVersion"u8, _frameworkVersion);
            json.WriteString("operatingSystemVersion"u8, _osVersion);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
