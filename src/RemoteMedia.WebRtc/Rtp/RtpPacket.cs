using System.Buffers.Binary;

namespace RemoteMedia.WebRtc.Rtp;

/// <summary>The fixed RTP header fields (RFC 3550 §5.1) plus where the payload lies.</summary>
internal readonly record struct RtpHeader(
    bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, int PayloadOffset, int PayloadLength);

internal static class RtpPacket
{
    internal const int FixedHeaderLength = 12;

    /// <summary>Demultiplexing (RFC 7983, RFC 5761): is this an RTCP packet rather than RTP?</summary>
    internal static bool IsRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[1] is >= 192 and <= 223;

    /// <summary>Parses an RTP header; false for anything truncated or inconsistent.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> p, out RtpHeader header)
    {
        header = default;
        if (p.Length < FixedHeaderLength || (p[0] >> 6) != 2)
        {
            return false;
        }

        int cc = p[0] & 0x0F;
        int offset = FixedHeaderLength + (4 * cc);
        if (offset > p.Length)
        {
            return false;
        }

        if ((p[0] & 0x10) != 0)
        {
            if (offset + 4 > p.Length)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(p[(offset + 2)..]));
            if (offset > p.Length)
            {
                return false;
            }
        }

        int end = p.Length;
        if ((p[0] & 0x20) != 0)
        {
            int pad = p[^1];
            if (pad == 0 || offset + pad > end)
            {
                return false;
            }

            end -= pad;
        }

        header = new RtpHeader(
            (p[1] & 0x80) != 0,
            (byte)(p[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(p[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(p[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(p[8..]),
            offset,
            end - offset);
        return true;
    }

    /// <summary>Writes a 12-byte header (no CSRC, no extension).</summary>
    internal static void WriteHeader(Span<byte> dst, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        dst[0] = 0x80;
        dst[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dst[8..], ssrc);
    }
}

/// <summary>
/// Builds the outgoing RTP stream of one source: sequence numbers, timestamps at the codec clock, one SSRC,
/// and the marker bit on the first packet of each talkspurt (RFC 3551 §4.1).
/// </summary>
internal sealed class RtpPacketizer
{
    private ushort sequence;
    private uint timestamp;
    private bool nextIsTalkspurtStart = true;

    internal RtpPacketizer(byte payloadType, uint ssrc, ushort initialSequence, uint initialTimestamp)
    {
        PayloadType = payloadType;
        Ssrc = ssrc;
        sequence = initialSequence;
        timestamp = initialTimestamp;
    }

    internal byte PayloadType { get; }

    internal uint Ssrc { get; }

    internal ushort NextSequence => sequence;

    internal uint NextTimestamp => timestamp;

    internal uint PacketsSent { get; private set; }

    internal uint OctetsSent { get; private set; }

    /// <summary>Writes header + payload for one frame of <paramref name="samples"/> clock ticks; returns the packet length.</summary>
    internal int Write(Span<byte> dst, ReadOnlySpan<byte> payload, uint samples)
    {
        RtpPacket.WriteHeader(dst, nextIsTalkspurtStart, PayloadType, sequence, timestamp, Ssrc);
        payload.CopyTo(dst[RtpPacket.FixedHeaderLength..]);
        nextIsTalkspurtStart = false;
        sequence++;
        timestamp += samples;
        PacketsSent++;
        OctetsSent += (uint)payload.Length;
        return RtpPacket.FixedHeaderLength + payload.Length;
    }

    /// <summary>The source paused (nothing sent) for <paramref name="samples"/> ticks: skip the timestamp ahead, mark the next packet.</summary>
    internal void Pause(uint samples)
    {
        timestamp += samples;
        nextIsTalkspurtStart = true;
    }
}
