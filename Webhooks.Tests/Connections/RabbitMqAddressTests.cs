using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Tests.Connections;

/// <summary><c>ConnectionStrings__RabbitMq</c>: one node, or a cluster's nodes separated by commas.</summary>
public class RabbitMqAddressTests
{
    [Test]
    public void OneUri_IsOneNode_WithItsCredentialsAndVirtualHost()
    {
        var address = RabbitMqAddress.Parse("amqp://webhooks:s%40cret@rabbit.internal:5673/shop%2Fprod");

        Assert.Multiple(() =>
        {
            Assert.That(address.Nodes, Is.EqualTo(new[] { new RabbitMqNode("rabbit.internal", 5673) }));
            Assert.That(address.Username, Is.EqualTo("webhooks"));
            Assert.That(address.Password, Is.EqualTo("s@cret"));
            Assert.That(address.VirtualHost, Is.EqualTo("shop/prod"));
        });
    }

    [Test]
    public void SeveralUris_AreTheClustersNodes_InTheirOrder_WithDefaultPorts()
    {
        var address = RabbitMqAddress.Parse("amqp://u:p@node-a:5672/, amqp://u:p@node-b/ ,amqp://u:p@node-c:5674/");

        Assert.That(address.Nodes, Is.EqualTo(new[] { new RabbitMqNode("node-a", 5672), new RabbitMqNode("node-b", 5672), new RabbitMqNode("node-c", 5674) }));
        Assert.That(address.VirtualHost, Is.EqualTo("/"));
        Assert.That((address.Host, address.Port), Is.EqualTo(("node-a", 5672)), "MassTransit's addresses name the first node");
    }

    [TestCase("amqp://u:p@a:5672/,amqp://u:other@b:5672/", "other credentials")]
    [TestCase("amqp://u:p@a:5672/,amqp://v:p@b:5672/", "other credentials")]
    [TestCase("amqp://u:p@a:5672/one,amqp://u:p@b:5672/two", "another virtual host")]
    [TestCase("amqp://u:p@a:5672/,amqps://u:p@b:5671/", "another virtual host or scheme")]
    [TestCase("amqp://u:p@a:5672/,", "empty entry (node 2 of 2)")]
    [TestCase("amqp://u:p@a:5672/,,amqp://u:p@b:5672/", "empty entry (node 2 of 3)")]
    [TestCase("amqp://u:p@a:5672/,b:5672", "not an absolute URI (node 2 of 2)")]
    [TestCase("amqp://u:p@a:5672/,http://u:p@b:5672/", "scheme 'http' (node 2 of 2)")]
    [TestCase("amqp://u:p@a:5672/,amqp://u:p@a:5672/", "names node a:5672 twice")]
    [TestCase("", "is empty")]
    public void MalformedOrInconsistentList_IsRefused_NamingTheSetting(string value, string reason)
    {
        var failure = Assert.Throws<FormatException>(() => RabbitMqAddress.Parse(value));

        Assert.That(failure!.Message, Does.StartWith("ConnectionStrings__RabbitMq ").And.Contain(reason));
    }

    [TestCase("amqp://u:hunter2-secret@a:5672/,amqp://u:other-secret@b:5672/")]
    [TestCase("amqp://u:hunter2-secret@a:5672/,amqp://u:hunter2,secret@b:5672/")]
    [TestCase("amqp://u:hunter2-secret@a:5672/,ftp://u:other-secret@b/")]
    public void Refusal_NeverQuotesAPassword(string value)
    {
        var failure = Assert.Throws<FormatException>(() => RabbitMqAddress.Parse(value));

        Assert.That(failure!.Message, Does.Not.Contain("hunter2").And.Not.Contain("other-secret").And.Not.Contain("secret@"));
    }

    [Test]
    public void ToString_NamesEveryNode_ButNoCredentials()
    {
        var address = RabbitMqAddress.Parse("amqp://u:hunter2@a:5672/shop,amqp://u:hunter2@b:5673/shop");

        Assert.That(address.ToString(), Is.EqualTo("amqp://a:5672,b:5673/shop"));
    }

    [Test]
    public void ConnectionAttempts_TryEveryNodeInTurn_EachStartingOneNodeFurther()
    {
        var rotation = new RabbitMqNodeRotation([new RabbitMqNode("a", 1), new RabbitMqNode("b", 2), new RabbitMqNode("c", 3)]);

        var attempts = Enumerable.Range(0, 4).Select(_ => string.Join(' ', rotation.All().Select(e => e.HostName))).ToList();

        Assert.That(attempts, Is.EqualTo(new[] { "a b c", "b c a", "c a b", "a b c" }));
    }
}
