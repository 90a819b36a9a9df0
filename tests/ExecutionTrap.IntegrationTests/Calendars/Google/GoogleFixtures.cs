namespace ExecutionTrap.IntegrationTests.Calendars.Google;

/// <summary>Reads <c>shared/fixtures/google/*.json</c>, found by walking up from the test binaries.</summary>
internal static class GoogleFixtures
{
    private static readonly Lazy<string> Folder = new(Find);

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder.Value, name));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "google");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures/google above {AppContext.BaseDirectory}.");
    }
}
