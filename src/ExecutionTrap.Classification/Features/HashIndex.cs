namespace ExecutionTrap.Classification.Features;

/// <summary>A read-only map from feature hash to feature row, open addressing: no allocation per lookup.</summary>
internal sealed class HashIndex
{
    private readonly uint[] _keys;
    private readonly int[] _rows;
    private readonly int _mask;

    public HashIndex(IReadOnlyList<uint> hashes)
    {
        var capacity = 16;
        while (capacity < hashes.Count * 2)
        {
            capacity *= 2;
        }

        _keys = new uint[capacity];
        _rows = new int[capacity];
        Array.Fill(_rows, -1);
        _mask = capacity - 1;
        for (var row = 0; row < hashes.Count; row++)
        {
            var slot = SlotOf(hashes[row]);
            while (_rows[slot] >= 0)
            {
                if (_keys[slot] == hashes[row])
                {
                    throw new ArgumentException($"feature hash {hashes[row]} is listed twice", nameof(hashes));
                }

                slot = (slot + 1) & _mask;
            }

            _keys[slot] = hashes[row];
            _rows[slot] = row;
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
            var row = _rows[slot];
            if (row < 0 || _keys[slot] == hash)
            {
                return row;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private int SlotOf(uint hash) => (int)((hash * 0x9E3779B1u) >> 7) & _mask;
}
