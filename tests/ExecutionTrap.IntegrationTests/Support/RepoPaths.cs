namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// Where the repository and the shared fixtures are: the repository root holds ExecutionTrap.sln;
/// the fixtures live in <c>shared/fixtures</c> beside it (or beside one of its parents, for a
/// worktree), and are never copied into the repository.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    private static readonly Lazy<string> FixturesPath = new(FindFixtures);

    /// <summary>The folder holding ExecutionTrap.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared fixtures folder (<c>…/shared/fixtures</c>).</summary>
    public static string SharedFixtures => FixturesPath.Value;

    /// <summary>A path inside the shared fixtures, e.g. <c>Fixture("ics", "outlook12-export-windows-tzid.ics")</c>.</summary>
    public static string Fixture(params string[] parts)
    {
        var path = Path.Combine([SharedFixtures, .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Shared fixture {path} does not exist.", path);
    }

    /// <summary>A path inside the repository, e.g. <c>InRepo("samples", "leader-month.ics")</c>.</summary>
    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExecutionTrap.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder holding ExecutionTrap.sln above {AppContext.BaseDirectory}.");
    }

    private static string FindFixtures()
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures beside {Root} or any folder above it.");
    }
}
