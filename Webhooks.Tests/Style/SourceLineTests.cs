using Webhooks.Tests.Deploy;

namespace Webhooks.Tests.Style;

/// <summary>The house rule that a formatter does not enforce: no line of C# longer than the editor shows.</summary>
public class SourceLineTests
{
    private const int MaxLength = 160;

    [Test]
    public void EveryCSharpLine_FitsIn160Characters()
    {
        var root = DeployArtefactTests.RepositoryRoot();
        var separator = Path.DirectorySeparatorChar;
        var tooLong = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{separator}bin{separator}") && !path.Contains($"{separator}obj{separator}"))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, number: index + 1, line.Length)))
            .Where(line => line.Length > MaxLength)
            .Select(line => $"{Path.GetRelativePath(root, line.path)}:{line.number} ({line.Length})")
            .ToList();

        Assert.That(tooLong, Is.Empty, $"lines longer than {MaxLength} characters");
    }
}
