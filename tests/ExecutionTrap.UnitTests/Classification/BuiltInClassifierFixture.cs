using ExecutionTrap.Classification;

namespace ExecutionTrap.UnitTests.Classification;

/// <summary>Loads the built-in model once for every test class that asks for it.</summary>
public sealed class BuiltInClassifierFixture : IDisposable
{
    internal MeetingClassifier Classifier { get; } = MeetingClassifiers.LoadBuiltIn();

    public void Dispose() => Classifier.Dispose();
}
