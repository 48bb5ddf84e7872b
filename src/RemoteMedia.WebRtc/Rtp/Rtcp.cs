using System.Buffers.Binary;
using System.Diagnostics;

namespace RemoteMedia.WebRtc.Rtp;

/// <summary>Receive-side statistics of one RTP source, for RTCP reception report blocks (RFC 3550 §6.4.1, A.3, A.8).</summary>
internal sealed class ReceptionStatistics
{
    private const int ClockRate = 48000;
    private bool started;
    private ushort maxSeq;
    private uint cycles;
    private uint baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private uint lastSrNtpMiddle;
    private long lastSrArrivalTicks;

    internal uint Ssrc { get; private set; }

    internal void OnPacket(uint ssrc, ushort seq, uint rtpTimestamp)
    {
        long arrival = Stopwatch.GetTimestamp() * ClockRate / Stopwatch.Frequency;
        if (!started || ssrc != Ssrc)
        {
            started = true;
            Ssrc = ssrc;
            maxSeq = seq;
            baseSeq = seq;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
            jitter = 0;
            lastTransit = arrival - rtpTimestamp;
        }
        else
        {
            int delta = (short)(ushort)(seq - maxSeq);
            if (delta > 0)
            {
                if (seq < maxSeq)
                {
                    cycles += 1u << 16;
                }

                maxSeq = seq;
            }

            long transit = arrival - rtpTimestamp;
            long d = Math.Abs(transit - lastTransit);
            lastTransit = transit;
            jitter += (d - jitter) / 16.0;
        }

        received++;
    }

    internal void OnSenderReport(uint ntpMiddle)
    {
        lastSrNtpMiddle = ntpMiddle;
        lastSrArrivalTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Writes one 24-byte report block; false before any packet arrived.</summary>
    internal bool WriteReportBlock(Span<byte> dst)
    {
        if (!started)
        {
            return false;
        }

        uint extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = Math.Clamp(expected - received, -0x800000, 0x7FFFFF);
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)((lostInterval << 8) / expectedInterval);
        uint dlsr = 0;
        if (lastSrArrivalTicks != 0)
        {
            dlsr = (uint)((Stopwatch.GetTimestamp() - lastSrArrivalTicks) * 65536 / Stopwatch.Frequency);
        }

        BinaryPrimitives.WriteUInt32BigEndian(dst, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ((uint)fraction << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(dst[8..], extendedMax);
        BinaryPrimitives.WriteUInt32BigEndian(dst[12..], (uint)jitter);
        BinaryPrimitives.WriteUInt32BigEndian(dst[16..], lastSrNtpMiddle);
        BinaryPrimitives.WriteUInt32BigEndian(dst[20..], dlsr);
        return true;
    }
}

/// <summary>Minimal RTCP (RFC 3550 §6.4): sender and receiver reports, and reading the peer's sender reports.</summary>
internal static class Rtcp
{
    internal const byte SenderReport = 200;
    internal const byte ReceiverReport = 201;

    /// <summary>Writes an SR (when we have sent) or an RR, with one report block when we have received. Returns the length.</summary>
    internal static int WriteReport(Span<byte> dst, uint ssrc, RtpPacketizer? sender, uint rtpTimestamp, ReceptionStatistics? receiver)
    {
        Span<byte> block = stackalloc byte[24];
        bool hasBlock = receiver is not null && receiver.WriteReportBlock(block);
        int rc = hasBlock ? 1 : 0;
        int p = 8;
        byte pt = sender is { PacketsSent: > 0 } ? SenderReport : ReceiverReport;
        if (pt == SenderReport)
        {
            ulong ntp = NtpNow();
            BinaryPrimitives.WriteUInt64BigEndian(dst[p..], ntp);
            BinaryPrimitives.WriteUInt32BigEndian(dst[(p + 8)..], rtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(dst[(p + 12)..], sender!.PacketsSent);
            BinaryPrimitives.WriteUInt32BigEndian(dst[(p + 16)..], sender.OctetsSent);
            p += 20;
        }

        if (hasBlock)
        {
            block.CopyTo(dst[p..]);
            p += 24;
        }

        dst[0] = (byte)(0x80 | rc);
        dst[1] = pt;
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)((p / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], ssrc);
        return p;
    }

    /// <summary>Walks a (decrypted) compound packet; returns the number of well-formed packets, -1 when malformed.</summary>
    internal static int Read(ReadOnlySpan<byte> compound, ReceptionStatistics? receiver)
    {
        int count = 0;
        int p = 0;
        while (p + 4 <= compound.Length)
        {
            if ((compound[p] >> 6) != 2)
            {
                return -1;
            }

            int len = (BinaryPrimitives.ReadUInt16BigEndian(compound[(p + 2)..]) + 1) * 4;
            if (p + len > compound.Length)
            {
                return -1;
            }

            if (compound[p + 1] == SenderReport && len >= 28 && receiver is not null)
            {
                // The middle 32 bits of the NTP timestamp become LSR in our next report block.
                receiver.OnSenderReport(BinaryPrimitives.ReadUInt32BigEndian(compound[(p + 10)..]));
            }

            count++;
            p += len;
        }

        return p == compound.Length ? count : -1;
    }

    private static ulong NtpNow()
    {
        var now = DateTime.UtcNow - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        ulong seconds = (ulong)now.Ticks / TimeSpan.TicksPerSecond;
        ulong fraction = ((ulong)now.Ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
