using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Messaging;
using YamlDotNet.RepresentationModel;

namespace Webhooks.Tests.Deploy;

/// <summary>
/// No Docker engine runs here, so the deploy files are checked by reading them: they parse, and every
/// setting they give the services is one the services actually read.
/// </summary>
public partial class DeployArtefactTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "deploy");

    private static IEnumerable<string> ManifestFiles() =>
        Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").Order();

    [Test]
    public void ComposeFile_Parses_AndNamesOnlySettingsTheServicesRead()
    {
        var root = (YamlMappingNode)Load(Path.Combine(Deploy, "docker-compose.yml")).Single().RootNode;
        var services = (YamlMappingNode)root["services"];

        Assert.That(services.Children.Keys.Select(k => k.ToString()), Is.SupersetOf(new[] { "postgres", "rabbitmq", "receiver", "processor" }));
        foreach (var service in new[] { "receiver", "processor" })
        {
            var environment = ((YamlMappingNode)((YamlMappingNode)services[service])["environment"]).Children.Keys.Select(k => k.ToString()).ToList();
            Assert.That(environment, Does.Contain("ConnectionStrings__Postgres").And.Contain("ConnectionStrings__RabbitMq"), service);
            Assert.That(environment.Where(v => !KnownSettings.IsKnown(v)), Is.Empty, $"{service} is given settings no service reads");
        }

        var receiverEnvironment = ((YamlMappingNode)((YamlMappingNode)services["receiver"])["environment"]).Children.Keys.Select(k => k.ToString());
        Assert.That(receiverEnvironment, Does.Contain("Webhooks__Providers__stripe__Scheme").And.Contain("Webhooks__Providers__stripe__Secrets__0"));
    }

    [Test]
    public void KubernetesManifests_Parse_AndNameOnlySettingsTheServicesRead()
    {
        var documents = ManifestFiles().SelectMany(Load).Select(d => (YamlMappingNode)d.RootNode).ToList();
        var kinds = documents.Select(d => d["kind"].ToString()).ToList();

        Assert.That(kinds, Is.SupersetOf(new[] { "Deployment", "Secret", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Service" }));
        var settings = documents
            .Where(d => d["kind"].ToString() is "ConfigMap" or "Secret")
            .SelectMany(d => ((YamlMappingNode)(d.Children.ContainsKey("data") ? d["data"] : d["stringData"])).Children.Keys.Select(k => k.ToString()))
            .ToList();
        Assert.That(settings, Does.Contain("Webhooks__Providers__stripe__Secrets__0").And.Contain("Slack__WebhookUrl"));
        Assert.That(settings.Where(v => !KnownSettings.IsKnown(v)), Is.Empty, "the manifests set settings no service reads");

        foreach (var deployment in documents.Where(d => d["kind"].ToString() == "Deployment"))
        {
            var podSpec = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
            var container = (YamlMappingNode)((YamlSequenceNode)podSpec["containers"])[0];
            Assert.Multiple(() =>
            {
                Assert.That(container.Children.ContainsKey("readinessProbe"), Is.True);
                Assert.That(container.Children.ContainsKey("livenessProbe"), Is.True);
                Assert.That(((YamlMappingNode)container["resources"]).Children.ContainsKey("limits"), Is.True);
            });
        }
    }

    [Test]
    public void KubernetesManifests_RunThreeRabbitMqNodes_AndPostgresWithASynchronousStandby_ThroughTheirOperators()
    {
        var documents = ManifestFiles().SelectMany(Load).Select(d => (YamlMappingNode)d.RootNode).ToList();
        var rabbit = (YamlMappingNode)documents.Single(d => d["kind"].ToString() == "RabbitmqCluster")["spec"];
        var database = documents.Single(d => d["kind"].ToString() == "Cluster");
        var postgres = (YamlMappingNode)((YamlMappingNode)database["spec"])["postgresql"];

        Assert.Multiple(() =>
        {
            Assert.That(rabbit["replicas"].ToString(), Is.EqualTo("3"));
            Assert.That(database["apiVersion"].ToString(), Does.StartWith("postgresql.cnpg.io/"));
            Assert.That(int.Parse(((YamlMappingNode)database["spec"])["instances"].ToString(), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
            Assert.That(int.Parse(((YamlMappingNode)postgres["synchronous"])["number"].ToString(), CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            Assert.That(((YamlMappingNode)postgres["parameters"])["synchronous_commit"].ToString(), Is.EqualTo("on"));
        });
    }

    [TestCase("webhooks-receiver")]
    [TestCase("webhooks-processor")]
    public void Services_TakeTheirConnectionStringsFromTheOperatorsSecrets_NamingEveryBrokerNode(string deploymentName)
    {
        var documents = ManifestFiles().SelectMany(Load).Select(d => (YamlMappingNode)d.RootNode).ToList();
        var rabbitName = Name(documents.Single(d => d["kind"].ToString() == "RabbitmqCluster"));
        var databaseName = Name(documents.Single(d => d["kind"].ToString() == "Cluster"));
        var deployment = documents.Single(d => d["kind"].ToString() == "Deployment" && Name(d) == deploymentName);
        var template = (YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"];
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)template["spec"])["containers"])[0];
        var env = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString());

        var rabbitMq = Expand(env, "ConnectionStrings__RabbitMq", $"{rabbitName}-default-user");
        var connectionStrings = new ConnectionStringsOptions
        {
            RabbitMq = rabbitMq,
            Postgres = Expand(env, "ConnectionStrings__Postgres", $"{databaseName}-app"),
        };

        var nodes = RabbitMqAddress.Parse(rabbitMq).Nodes;
        Assert.That(nodes.Select(n => n.Host), Is.EqualTo(Enumerable.Range(0, 3).Select(i => $"{rabbitName}-server-{i}.{rabbitName}-nodes.webhooks.svc")));
        Assert.That(connectionStrings.Postgres, Does.StartWith($"Host={databaseName}-rw."));
        Assert.That(new ConnectionStringsValidator().Validate(null, connectionStrings), Is.EqualTo(ValidateOptionsResult.Success));
        var referenced = env.Values
            .Where(e => e.Children.ContainsKey("value"))
            .SelectMany(e => Reference().Matches(e["value"].ToString()).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var strays = env.Keys.Where(v => !KnownSettings.IsKnown(v) && !referenced.Contains(v));
        Assert.That(strays, Is.Empty, "variables that are neither settings nor parts of one");
    }

    [Test]
    public void SecretsInManifests_ArePlaceholdersOnly()
    {
        var text = string.Join('\n', ManifestFiles().Select(File.ReadAllText)) + File.ReadAllText(Path.Combine(Deploy, "docker-compose.yml"));

        Assert.That(text, Does.Not.Match("whsec_(?!REPLACE_ME)[A-Za-z0-9]{8,}"));
    }

    [TestCase("receiver")]
    [TestCase("processor")]
    public void Dockerfile_IsMultiStage_NonRoot_WithHealthCheck(string service)
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "docker", $"{service}.Dockerfile"));

        Assert.Multiple(() =>
        {
            Assert.That(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));
            Assert.That(lines.Any(l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal)), Is.True);
            Assert.That(lines.Any(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal)), Is.True);
            Assert.That(lines.Any(l => l.Contains($"Webhooks.{char.ToUpperInvariant(service[0])}{service[1..]}.dll", StringComparison.Ordinal)), Is.True);
        });
    }

    /// <summary>
    /// The value of an environment variable with every <c>$(VAR)</c> filled in, each VAR taken from
    /// <paramref name="secret"/> (an operator's generated Secret), so that the result parses as the service parses it.
    /// </summary>
    private static string Expand(Dictionary<string, YamlMappingNode> env, string name, string secret) =>
        Reference().Replace(env[name]["value"].ToString(), match =>
        {
            var reference = (YamlMappingNode)((YamlMappingNode)env[match.Groups[1].Value]["valueFrom"])["secretKeyRef"];
            Assert.That(reference["name"].ToString(), Is.EqualTo(secret), $"{name} is made of {match.Value}");
            return $"from-{reference["key"]}";
        });

    private static string Name(YamlMappingNode document) => ((YamlMappingNode)document["metadata"])["name"].ToString();

    [GeneratedRegex(@"\$\(([A-Za-z0-9_]+)\)")]
    private static partial Regex Reference();

    private static List<YamlDocument> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return [.. stream.Documents];
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Webhooks.sln not found above the test binaries.");
    }
}
