using ExecutionTrap.Classification;

namespace ExecutionTrap.UnitTests.Classification;

public sealed class MeetingClassifiersTests
{
    [Fact]
    public void Load_NamesTheFile_WhenItDoesNotExist()
    {
        var path = Path.Combine(Path.GetTempPath(), "etrap-no-such-model-" + Guid.NewGuid().ToString("N") + ".zip");

        var error = Assert.Throws<FileNotFoundException>(() => MeetingClassifiers.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SaysItIsNotAModel_WhenTheBytesAreNotAZip()
    {
        var bytes = "label\ttitle\nexecution\tWeekly status\n"u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => MeetingClassifiers.Load(bytes, "model file 'notes.tsv'"));

        Assert.Contains("model file 'notes.tsv' is not an ML.NET model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadBuiltIn_LoadsTheEmbeddedModel()
    {
        using var classifier = MeetingClassifiers.LoadBuiltIn();

        var label = classifier.Classify(TestMeetings.Titled("Incident bridge: checkout down"));

        Assert.True(label.IsScored);
    }
}
