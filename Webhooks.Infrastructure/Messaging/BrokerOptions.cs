using System.ComponentModel.DataAnnotations;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>Broker topology settings shared by publisher and consumer (<c>Broker__*</c>).</summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>
    /// The fanout exchange stored events are published to and the processor's queue is bound to.
    /// MassTransit's own name for the contract, stated here so that both sides agree explicitly.
    /// </summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9._:\-]{1,200}$", ErrorMessage = "Broker__EventExchange may contain letters, digits and . _ : - only.")]
    public string EventExchange { get; set; } = "Webhooks.Contracts:PaymentEventReceived";
}
