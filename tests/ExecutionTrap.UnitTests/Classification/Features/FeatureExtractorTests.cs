using ExecutionTrap.Classification.Features;

namespace ExecutionTrap.UnitTests.Classification.Features;

public sealed class FeatureExtractorTests
{
    private readonly FeatureBag _features = new();
    private readonly FeatureBag _block = new();

    [Fact]
    public void Extract_GivesTheTitleUnitLengthPerKind_WordsAndCharacterGrams()
    {
        FeatureExtractor.Extract("sev1 bridge", MeetingSignals.Unknown, _features, _block);

        // Two blocks (words, character grams), each of length 1: the whole has length √2.
        Assert.Equal(Math.Sqrt(2), _features.Norm(), 5);
    }

    [Fact]
    public void Extract_AddsFeatures_ForProviderCategories()
    {
        FeatureExtractor.Extract("northwind", MeetingSignals.Unknown, _features, _block);
        var titleOnly = _features.Count;

        FeatureExtractor.Extract("northwind", new MeetingSignals(Categories: ["Incident"]), _features, _block);

        Assert.True(_features.Count > titleOnly);
    }

    [Fact]
    public void Extract_IgnoresInvitationBoilerplate_InTheDescription()
    {
        FeatureExtractor.Extract("northwind", MeetingSignals.Unknown, _features, _block);
        var titleOnly = _features.Count;

        FeatureExtractor.Extract("northwind", new MeetingSignals(Description: "Join Microsoft Teams meeting. Click here to join. Meeting ID 123 456"), _features, _block);

        Assert.Equal(titleOnly, _features.Count);
    }

    [Fact]
    public void Extract_KeysFeaturesByRow_WhenGivenTheModelsVocabulary()
    {
        FeatureExtractor.Extract("standup", MeetingSignals.Unknown, _features, _block);
        var hashes = Enumerable.Range(0, _features.Count).Select(_features.KeyAt).Take(3).ToList();

        FeatureExtractor.Extract("standup", MeetingSignals.Unknown, _features, _block, new HashIndex(hashes));

        Assert.Equal(3, _features.Count);
        Assert.All(Enumerable.Range(0, _features.Count), i => Assert.InRange(_features.KeyAt(i), 0u, 2u));
    }
}
