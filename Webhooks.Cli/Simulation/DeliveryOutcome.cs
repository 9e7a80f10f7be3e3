namespace Webhooks.Cli.Simulation;

/// <summary>How a delivery ended: what the receiver finally answered, or that the gateway gave up.</summary>
internal enum DeliveryOutcome
{
    /// <summary>200 <c>{"status":"accepted"}</c>: stored now.</summary>
    Accepted,

    /// <summary>200 <c>{"status":"duplicate"}</c>: the receiver had it already.</summary>
    Duplicate,

    /// <summary>A 2xx without either acknowledgement: the gateway is satisfied, but it is not this receiver's answer.</summary>
    OtherSuccess,

    /// <summary>No 2xx after every retry.</summary>
    GivenUp,
}
