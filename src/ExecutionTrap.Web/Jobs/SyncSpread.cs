using System.Buffers.Binary;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Where in the sync round a connection's sync starts: a stable offset derived from its id, so the
/// round's load is spread evenly and each calendar is still synced at the same interval round after round.
/// </summary>
internal static class SyncSpread
{
    public static TimeSpan OffsetOf(Guid connectionId, TimeSpan spread)
    {
        if (spread <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        Span<byte> bytes = stackalloc byte[16];
        connectionId.TryWriteBytes(bytes);

        // Both halves: version 7 ids keep their time in the first, random ids their randomness everywhere.
        var hash = BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        return TimeSpan.FromSeconds(hash % (ulong)Math.Max(1, (long)spread.TotalSeconds));
    }
}
