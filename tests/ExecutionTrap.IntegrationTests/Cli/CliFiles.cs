using System.Text;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>
/// Where the CLI tests find their input: the repository (the folder holding ExecutionTrap.sln), the
/// shared fixtures outside it (never copied in), and a scratch folder of their own for the files they write.
/// </summary>
internal sealed class CliFiles : IDisposable
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<string> Fixtures = new(FindSharedFixtures);

    public CliFiles()
    {
        Scratch = Path.Combine(Path.GetTempPath(), "etrap-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Scratch);
    }

    /// <summary>A folder of this test's own, removed afterwards.</summary>
    public string Scratch { get; }

    public static string RepositoryRoot => Root.Value;

    public static string SharedFixture(string relativePath)
    {
        var path = Path.Combine(Fixtures.Value, relativePath);
        return File.Exists(path) ? path : throw new FileNotFoundException($"No shared fixture {relativePath}.", path);
    }

    public static string IcsFixture(string name) => SharedFixture(Path.Combine("ics", name));

    /// <summary>Writes a file into the scratch folder and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Scratch, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process the test killed; the temp folder is cleaned by the system.
        }
    }

    private static string FindRepositoryRoot() => FindAbove(dir => File.Exists(Path.Combine(dir, "ExecutionTrap.sln")), "ExecutionTrap.sln");

    // shared/ sits beside the repository (in a worktree, further up): the first folder above that holds it.
    private static string FindSharedFixtures() =>
        Path.Combine(FindAbove(dir => Directory.Exists(Path.Combine(dir, "shared", "fixtures")), "shared/fixtures"), "shared", "fixtures");

    private static string FindAbove(Func<string, bool> holds, string what)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (holds(dir.FullName))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No {what} above {AppContext.BaseDirectory}.");
    }
}
