namespace ExecutionTrap.Classification.Features;

/// <summary>
/// A reusable hash-to-weight accumulator for the features of one meeting. Clearing is O(1) (a
/// generation stamp), so a batch of many titles allocates nothing per title.
/// </summary>
internal sealed class FeatureBag
{
    private const int Capacity = 8192;
    private const int Mask = Capacity - 1;

    /// <summary>Half the slots: beyond it new features are dropped, which only absurd inputs reach.</summary>
    public const int MaxCount = Capacity / 2;

    private readonly uint[] _keys = new uint[Capacity];
    private readonly float[] _values = new float[Capacity];
    private readonly int[] _stamps = new int[Capacity];
    private readonly int[] _touched = new int[MaxCount];
    private int _generation = 1;

    public int Count { get; private set; }

    /// <summary>
    /// When set, <see cref="Add"/> ignores hashes this index does not hold and keys the others by
    /// their feature row, so a model reads the rows without looking them up again.
    /// </summary>
    public HashIndex? Known { get; set; }

    public void Clear()
    {
        Count = 0;
        if (_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 0;
        }

        _generation++;
    }

    public void Add(uint key, float value)
    {
        if (Known is not null)
        {
            var row = Known.Find(key);
            if (row < 0)
            {
                return;
            }

            key = (uint)row;
        }

        var slot = (int)((key * 0x9E3779B1u) >> 19) & Mask;
        while (true)
        {
            if (_stamps[slot] != _generation)
            {
                if (Count == MaxCount)
                {
                    return;
                }

                _stamps[slot] = _generation;
                _keys[slot] = key;
                _values[slot] = value;
                _touched[Count++] = slot;
                return;
            }

            if (_keys[slot] == key)
            {
                _values[slot] += value;
                return;
            }

            slot = (slot + 1) & Mask;
        }
    }

    public uint KeyAt(int index) => _keys[_touched[index]];

    public float ValueAt(int index) => _values[_touched[index]];

    public double Norm()
    {
        var sum = 0.0;
        for (var i = 0; i < Count; i++)
        {
            var value = _values[_touched[i]];
            sum += value * value;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Adds every feature of <paramref name="block"/> into this bag, scaled to length <paramref name="length"/>.</summary>
    public void AddNormalized(FeatureBag block, float length)
    {
        var norm = block.Norm();
        if (norm == 0)
        {
            return;
        }

        var scale = (float)(length / norm);
        for (var i = 0; i < block.Count; i++)
        {
            Add(block.KeyAt(i), block.ValueAt(i) * scale);
        }
    }
}
