using RemoteMedia.WebRtc.Interop;

namespace RemoteMedia.WebRtc.Codecs;

/// <summary>Mono 48 kHz Opus encoder over libopus; encodes into caller buffers, allocation-free.</summary>
internal sealed unsafe class OpusEncoder : IDisposable
{
    internal const int SampleRate = 48000;
    internal const int FrameSamples = 960;   // 20 ms at 48 kHz
    internal const int MaxPacketBytes = 1275;

    private readonly SafeOpusEncoderHandle handle;

    /// <param name="application">OPUS_APPLICATION_AUDIO or _VOIP.</param>
    /// <param name="inbandFecLossPercent">When above 0, in-band FEC is on, tuned for this expected loss (the receiver recovers one lost packet from the next).</param>
    internal OpusEncoder(int application = OpusNative.ApplicationAudio, int inbandFecLossPercent = 0)
    {
        handle = OpusNative.opus_encoder_create(SampleRate, 1, application, out int error);
        if (error != OpusNative.OK || handle.IsInvalid)
        {
            handle.Dispose();
            throw new WebRtcException(WebRtcError.Codec, $"opus_encoder_create failed with {error}");
        }

        NativeHandleCounter.Created();
        if (inbandFecLossPercent > 0)
        {
            int a = OpusNative.opus_encoder_ctl_set(handle, OpusNative.SetInbandFecRequest, 1);
            int b = OpusNative.opus_encoder_ctl_set(handle, OpusNative.SetPacketLossPercRequest, Math.Min(100, inbandFecLossPercent));
            if (a != OpusNative.OK || b != OpusNative.OK)
            {
                handle.Dispose();
                throw new WebRtcException(WebRtcError.Codec, $"opus_encoder_ctl (in-band FEC) failed with {a}/{b}");
            }
        }
    }

    /// <summary>Whether in-band FEC is on (asks libopus).</summary>
    internal bool InbandFec
    {
        get
        {
            int v = -1;
            int rc = OpusNative.opus_encoder_ctl_get(handle, OpusNative.GetInbandFecRequest, &v);
            return rc == OpusNative.OK && v == 1;
        }
    }

    /// <summary>Encodes one frame of <paramref name="pcm"/> (960 samples) into <paramref name="packet"/>; returns the byte count.</summary>
    internal int Encode(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        if (pcm.Length != FrameSamples)
        {
            throw new ArgumentException($"expected {FrameSamples} samples, got {pcm.Length}", nameof(pcm));
        }

        int n;
        fixed (short* p = pcm)
        fixed (byte* d = packet)
        {
            n = OpusNative.opus_encode(handle, p, pcm.Length, d, Math.Min(packet.Length, MaxPacketBytes));
        }

        if (n < 0)
        {
            throw new WebRtcException(WebRtcError.Codec, $"opus_encode failed with {n}");
        }

        return n;
    }

    public void Dispose() => handle.Dispose();
}
