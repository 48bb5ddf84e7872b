using RemoteMedia.WebRtc.Interop;

namespace RemoteMedia.WebRtc.Codecs;

/// <summary>Opus decoder to mono 48 kHz PCM over libopus, with packet-loss concealment.</summary>
internal sealed unsafe class OpusDecoder : IDisposable
{
    /// <summary>120 ms at 48 kHz: the longest frame an Opus packet can carry.</summary>
    internal const int MaxFrameSamples = 5760;

    private readonly SafeOpusDecoderHandle handle;

    internal OpusDecoder()
    {
        handle = OpusNative.opus_decoder_create(OpusEncoder.SampleRate, 1, out int error);
        if (error != OpusNative.OK || handle.IsInvalid)
        {
            handle.Dispose();
            throw new WebRtcException(WebRtcError.Codec, $"opus_decoder_create failed with {error}");
        }

        NativeHandleCounter.Created();
    }

    /// <summary>Decodes a packet; returns samples written, or a negative libopus error (the packet is bad).</summary>
    internal int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        if (packet.IsEmpty)
        {
            return -1;
        }

        fixed (byte* d = packet)
        fixed (short* p = pcm)
        {
            return OpusNative.opus_decode(handle, d, packet.Length, p, pcm.Length, 0);
        }
    }

    /// <summary>
    /// Recovers the packet lost just before <paramref name="nextPacket"/> from the in-band FEC data that packet carries
    /// (<paramref name="pcm"/>.Length samples); libopus falls back to concealment when there is none.
    /// </summary>
    internal int DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm)
    {
        if (nextPacket.IsEmpty)
        {
            return Conceal(pcm);
        }

        fixed (byte* d = nextPacket)
        fixed (short* p = pcm)
        {
            return OpusNative.opus_decode(handle, d, nextPacket.Length, p, pcm.Length, 1);
        }
    }

    /// <summary>Conceals <paramref name="pcm"/>.Length samples of lost audio (a multiple of 2.5 ms).</summary>
    internal int Conceal(Span<short> pcm)
    {
        fixed (short* p = pcm)
        {
            return OpusNative.opus_decode(handle, null, 0, p, pcm.Length, 0);
        }
    }

    public void Dispose() => handle.Dispose();
}
