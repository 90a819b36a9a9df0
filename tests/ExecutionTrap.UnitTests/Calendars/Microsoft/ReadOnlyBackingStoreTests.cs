using ExecutionTrap.Calendars.Microsoft;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class ReadOnlyBackingStoreTests
{
    [Fact]
    public void Get_ReturnsWhatWasSet_WhenTheTypeMatches()
    {
        var store = new ReadOnlyBackingStore();

        store.Set("subject", "Quarterly steering committee");

        Assert.Equal("Quarterly steering committee", store.Get<string>("subject"));
    }

    [Fact]
    public void Get_ReturnsDefault_WhenTheKeyIsMissingOrOfAnotherType()
    {
        var store = new ReadOnlyBackingStore();
        store.Set("isCancelled", true);

        Assert.Null(store.Get<string>("subject"));
        Assert.Null(store.Get<string>("isCancelled"));
        Assert.Null(store.Get<bool?>("isOnlineMeeting"));
    }

    // Kiota asks for changed values only when it serializes a PATCH; a store that tracks nothing must
    // keep answering with what it holds.
    [Fact]
    public void Get_StillReturnsValues_WhenAskedForChangedValuesOnly()
    {
        var store = new ReadOnlyBackingStore { InitializationCompleted = true };
        store.Set("subject", "1:1 with Priya");

        store.ReturnOnlyChangedValues = true;

        Assert.Equal("1:1 with Priya", store.Get<string>("subject"));
        Assert.Single(store.Enumerate());
    }
}
