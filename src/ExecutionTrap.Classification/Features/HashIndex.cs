namespace ExecutionTrap.Classification.Features;

/// <summary>
/// A read-only map from feature hash to feature row, open addressing over one array of packed
/// (hash, row + 1) pairs, so a probe touches one cache line and nothing is allocated per lookup.
/// </summary>
internal sealed class HashIndex
{
    private readonly ulong[] _slots;
    private readonly int _mask;

    public HashIndex(IReadOnlyList<uint> hashes)
    {
        var capacity = 16;
        while (capacity < hashes.Count * 2)
        {
            capacity *= 2;
        }

        _slots = new ulong[capacity];
        _mask = capacity - 1;
        for (var row = 0; row < hashes.Count; row++)
        {
            var slot = SlotOf(hashes[row]);
            while (_slots[slot] != 0)
            {
                if ((uint)(_slots[slot] >> 32) == hashes[row])
                {
                    throw new ArgumentException($"feature hash {hashes[row]} is listed twice", nameof(hashes));
                }

                slot = (slot + 1) & _mask;
            }

            _slots[slot] = ((ulong)hashes[row] << 32) | (uint)(row + 1);
        }

        Count = hashes.Count;
    }

    public int Count { get; }

    /// <summary>The row of <paramref name="hash"/>, or -1 when the training data never produced it.</summary>
    public int Find(uint hash)
    {
        var slot = SlotOf(hash);
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }

            if ((uint)(entry >> 32) == hash)
            {
                return (int)(uint)entry - 1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private int SlotOf(uint hash) => (int)((hash * 0x9E3779B1u) >> 7) & _mask;
}
