using Microsoft.Kiota.Abstractions.Store;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// The backing store behind every Graph model we read. Kiota's default (<see cref="InMemoryBackingStore"/>)
/// tracks changes for PATCH requests: a concurrent dictionary and subscriptions per object, and when a page
/// is parsed it walks every nested object under locks. We only read what Graph sends and never write a
/// model back, so a plain dictionary does. In a profile of a full sync, parsing Graph pages fell from about
/// 21 % to 7 % of the worker's busy samples with this store (bench/README.md).
/// </summary>
internal sealed class ReadOnlyBackingStore : IBackingStore
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>Nothing is tracked, so "only changed values" would hide everything: it stays off.</summary>
    public bool ReturnOnlyChangedValues
    {
        get => false;
        set { }
    }

    public bool InitializationCompleted { get; set; }

    public T? Get<T>(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _values.TryGetValue(key, out var value) && value is T typed ? typed : default;
    }

    public void Set<T>(string key, T? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _values[key] = value;
    }

    public IEnumerable<KeyValuePair<string, object?>> Enumerate() => _values;

    public IEnumerable<string> EnumerateKeysForValuesChangedToNull() => [];

    public string Subscribe(Action<string, object?, object?> callback) => string.Empty;

    public void Subscribe(Action<string, object?, object?> callback, string subscriptionId)
    {
    }

    public void Unsubscribe(string subscriptionId)
    {
    }

    public void Clear() => _values.Clear();

    /// <summary>Hands every Graph model a <see cref="ReadOnlyBackingStore"/>.</summary>
    internal sealed class Factory : IBackingStoreFactory
    {
        public static readonly Factory Instance = new();

        public IBackingStore CreateBackingStore() => new ReadOnlyBackingStore();
    }
}
