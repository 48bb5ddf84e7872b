using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Rtp;

/// <summary>The send hot path of one audio stream: 20 ms PCM -> Opus -> RTP -> SRTP, into a caller buffer. No allocation.</summary>
internal sealed class AudioSendPipeline : IDisposable
{
    /// <summary>A buffer this large always holds one outgoing packet.</summary>
    internal const int MaxPacket = RtpPacket.FixedHeaderLength + OpusEncoder.MaxPacketBytes + SrtpNative.MaxTrailer;

    private readonly SrtpContext srtp;
    private readonly OpusEncoder encoder;
    private readonly byte[] opus = new byte[OpusEncoder.MaxPacketBytes];

    internal AudioSendPipeline(SrtpContext outbound, RtpPacketizer packetizer, int inbandFecLossPercent = 0)
    {
        encoder = new OpusEncoder(inbandFecLossPercent > 0 ? Interop.OpusNative.ApplicationVoip : Interop.OpusNative.ApplicationAudio, inbandFecLossPercent);
        srtp = outbound;
        Packetizer = packetizer;
    }

    internal RtpPacketizer Packetizer { get; }

    /// <summary>Encodes and protects one frame into <paramref name="packet"/>; returns the SRTP length.</summary>
    internal int Build(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        int n = encoder.Encode(pcm, opus);
        int len = Packetizer.Write(packet, opus.AsSpan(0, n), OpusEncoder.FrameSamples);
        int status = srtp.Protect(packet, ref len);
        if (status != SrtpNative.ErrOk)
        {
            throw new WebRtcException(WebRtcError.Srtp, $"srtp_protect failed with status {status}");
        }

        return len;
    }

    public void Dispose() => encoder.Dispose();
}
