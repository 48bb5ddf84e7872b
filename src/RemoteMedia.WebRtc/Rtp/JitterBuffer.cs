namespace RemoteMedia.WebRtc.Rtp;

internal enum JitterInsert
{
    Accepted,
    Duplicate,
    Late,
    Reset,
    TooLarge,
}

internal enum JitterPop
{
    None,
    Packet,
    Lost,
}

/// <summary>
/// A packet-count jitter buffer: reorders by sequence number (wrap-around safe), drops duplicates and late
/// packets, and declares a packet lost once <c>depth</c> newer packets have arrived without it.
/// The depth adapts between its minimum and maximum: each packet that turns up after it was given up (concealed)
/// deepens it by one, and every <see cref="CalmPacketsBeforeShrinking"/> packets played without that it shrinks by one.
/// Packets in order never wait, so depth only costs delay while a gap is open.
/// Slots are preallocated; nothing allocates per packet.
/// </summary>
internal sealed class JitterBuffer
{
    /// <summary>30 s of 20 ms packets: networks change slower than that, and a spike should not shrink away at once.</summary>
    internal const int CalmPacketsBeforeShrinking = 1500;
    private const int Capacity = 64;
    private const int SlotSize = 1500;
    private readonly byte[][] slots = new byte[Capacity][];
    private readonly int[] lengths = new int[Capacity];
    private readonly int[] seqs = new int[Capacity];
    private readonly int[] givenUp = new int[Capacity];
    private readonly int minDepth;
    private readonly int maxDepth;
    private int depth;
    private int calmPackets;
    private bool started;
    private ushort next;
    private ushort highest;
    private int buffered;

    internal JitterBuffer(int depth)
        : this(depth, depth)
    {
    }

    internal JitterBuffer(int minDepth, int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, minDepth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, Capacity / 2);
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
        depth = minDepth;
        for (int i = 0; i < Capacity; i++)
        {
            slots[i] = new byte[SlotSize];
            seqs[i] = -1;
            givenUp[i] = -1;
        }
    }

    /// <summary>Packets that must arrive past a gap before it is given up, now.</summary>
    internal int Depth => depth;

    /// <summary>Packets that arrived after their gap had been given up and concealed (each one deepened the buffer).</summary>
    internal long ArrivedAfterGivenUp { get; private set; }

    internal long Received { get; private set; }

    internal long Duplicates { get; private set; }

    internal long Late { get; private set; }

    internal long Lost { get; private set; }

    internal long Resets { get; private set; }

    internal int Buffered => buffered;

    internal JitterInsert Insert(ushort sequence, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > SlotSize)
        {
            return JitterInsert.TooLarge;
        }

        if (!started)
        {
            started = true;
            next = sequence;
            highest = sequence;
        }

        int ahead = (short)(ushort)(sequence - next);
        if (ahead < 0)
        {
            Late++;
            int old = sequence % Capacity;
            if (givenUp[old] == sequence)
            {
                // Not a duplicate of a packet played: the network delayed it past our depth. Wait longer from now on.
                givenUp[old] = -1;
                ArrivedAfterGivenUp++;
                depth = Math.Min(maxDepth, depth + 1);
                calmPackets = 0;
            }

            return JitterInsert.Late;
        }

        var result = JitterInsert.Accepted;
        if (ahead >= Capacity)
        {
            // A jump far ahead (stream restart, long outage): start over at this packet.
            Clear();
            next = sequence;
            highest = sequence;
            Resets++;
            result = JitterInsert.Reset;
        }

        int slot = sequence % Capacity;
        if (seqs[slot] == sequence)
        {
            Duplicates++;
            return JitterInsert.Duplicate;
        }

        payload.CopyTo(slots[slot]);
        lengths[slot] = payload.Length;
        seqs[slot] = sequence;
        buffered++;
        Received++;
        if ((short)(ushort)(sequence - highest) > 0)
        {
            highest = sequence;
        }

        return result;
    }

    /// <summary>
    /// Takes the next packet in order. <see cref="JitterPop.Lost"/> means the next sequence number is given up
    /// (conceal it); <see cref="JitterPop.None"/> means wait for more packets. The span is valid until the next Insert.
    /// </summary>
    /// <param name="payload">The packet's payload.</param>
    /// <param name="sequence">The sequence number popped (or given up).</param>
    /// <param name="flush">Give up missing packets as soon as any newer one is buffered (the stream went quiet).</param>
    internal JitterPop TryPop(out ReadOnlySpan<byte> payload, out ushort sequence, bool flush = false)
    {
        payload = default;
        sequence = next;
        if (!started)
        {
            return JitterPop.None;
        }

        int slot = next % Capacity;
        if (seqs[slot] == next)
        {
            payload = slots[slot].AsSpan(0, lengths[slot]);
            seqs[slot] = -1;
            givenUp[slot] = -1;
            buffered--;
            next++;
            if (++calmPackets >= CalmPacketsBeforeShrinking)
            {
                calmPackets = 0;
                depth = Math.Max(minDepth, depth - 1);
            }

            return JitterPop.Packet;
        }

        if (buffered > 0 && (flush || (short)(ushort)(highest - next) >= depth))
        {
            Lost++;
            givenUp[slot] = next;
            next++;
            return JitterPop.Lost;
        }

        return JitterPop.None;
    }

    /// <summary>The buffered payload of <paramref name="sequence"/>, if it is here (valid until the next Insert).</summary>
    internal bool TryPeek(ushort sequence, out ReadOnlySpan<byte> payload)
    {
        int slot = sequence % Capacity;
        if (started && seqs[slot] == sequence)
        {
            payload = slots[slot].AsSpan(0, lengths[slot]);
            return true;
        }

        payload = default;
        return false;
    }

    private void Clear()
    {
        Array.Fill(seqs, -1);
        Array.Fill(givenUp, -1);
        buffered = 0;
    }
}
