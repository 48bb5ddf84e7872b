using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Rtp;

/// <summary>
/// The receive hot path of one audio stream: SRTP unprotect (in place) -> RTP parse -> jitter buffer -> Opus decode
/// (PLC on gaps and undecodable packets) -> 20 ms frames to the handler. Single-threaded; no per-packet allocation.
/// </summary>
internal sealed class AudioReceivePipeline : IDisposable
{
    internal const int FrameSamples = OpusEncoder.FrameSamples;
    private readonly SrtpContext srtp;
    private readonly OpusDecoder decoder = new();
    private readonly Counters counters;
    private readonly short[] decoded = new short[OpusDecoder.MaxFrameSamples];
    private readonly short[] frame = new short[FrameSamples];
    private readonly int payloadType;
    private int frameFill;
    private int lastPacketSamples = FrameSamples;
    private uint? streamSsrc;

    internal AudioReceivePipeline(SrtpContext inbound, int payloadType, int jitterDepth, int jitterMaxDepth, Counters counters)
    {
        srtp = inbound;
        this.payloadType = payloadType;
        this.counters = counters;
        Jitter = new JitterBuffer(jitterDepth, jitterMaxDepth);
    }

    internal JitterBuffer Jitter { get; }

    internal ReceptionStatistics Reception { get; } = new();

    internal AudioFrameHandler? Handler { get; set; }

    /// <summary>Handles one SRTP datagram held in <paramref name="buffer"/>[..<paramref name="length"/>] (decrypted in place).</summary>
    internal void OnSrtp(Span<byte> buffer, int length)
    {
        int status = srtp.Unprotect(buffer, ref length);
        if (status != SrtpNative.ErrOk)
        {
            if (status == SrtpNative.ErrAuthFail)
            {
                Counters.Inc(ref counters.SrtpAuthFailures);
            }
            else if (status is SrtpNative.ErrReplayFail or SrtpNative.ErrReplayOld)
            {
                Counters.Inc(ref counters.SrtpReplays);
            }
            else
            {
                Counters.Inc(ref counters.SrtpOtherFailures);
            }

            return;
        }

        OnRtp(buffer[..length]);
    }

    /// <summary>Handles one decrypted RTP packet.</summary>
    internal void OnRtp(ReadOnlySpan<byte> packet)
    {
        if (!RtpPacket.TryParse(packet, out var h))
        {
            Counters.Inc(ref counters.RtpMalformed);
            return;
        }

        if (h.PayloadType != payloadType)
        {
            Counters.Inc(ref counters.RtpUnknownPayloadType);
            return;
        }

        // One audio stream per session: the first SSRC owns it; packets of any other SSRC would interleave
        // their sequence numbers with ours in the jitter buffer, so they are dropped and counted.
        streamSsrc ??= h.Ssrc;
        if (h.Ssrc != streamSsrc.Value)
        {
            Counters.Inc(ref counters.RtpForeignSsrc);
            return;
        }

        Counters.Inc(ref counters.RtpPackets);
        Reception.OnPacket(h.Ssrc, h.SequenceNumber, h.Timestamp);
        Jitter.Insert(h.SequenceNumber, packet.Slice(h.PayloadOffset, h.PayloadLength));
        Drain();
    }

    /// <summary>The stream went quiet: play out what is buffered, concealing the gaps, instead of waiting for newer packets.</summary>
    internal void Flush()
    {
        if (Jitter.Buffered > 0)
        {
            Drain(flush: true);
        }
    }

    private void Drain(bool flush = false)
    {
        while (true)
        {
            var r = Jitter.TryPop(out var payload, out ushort seq, flush);
            if (r == JitterPop.None)
            {
                return;
            }

            int n = -1;
            if (r == JitterPop.Packet)
            {
                n = decoder.Decode(payload, decoded);
                if (n < 0)
                {
                    Counters.Inc(ref counters.OpusDecodeErrors);
                }
                else
                {
                    lastPacketSamples = n;
                }
            }

            if (r == JitterPop.Lost && Jitter.TryPeek((ushort)(seq + 1), out var next) && next.Length > 0 && (next[0] >> 3) < 16)
            {
                // A SILK or hybrid packet (TOC config < 16) may carry the lost one's in-band FEC (useinbandfec=1);
                // libopus falls back to concealment when it does not. CELT-only packets never carry FEC.
                n = decoder.DecodeFec(next, decoded.AsSpan(0, lastPacketSamples));
                if (n > 0)
                {
                    Counters.Inc(ref counters.FecRecoveredFrames);
                    Emit(decoded.AsSpan(0, n));
                    continue;
                }
            }

            if (n < 0)
            {
                Counters.Inc(ref counters.ConcealedFrames);
                n = decoder.Conceal(decoded.AsSpan(0, lastPacketSamples));
                if (n < 0)
                {
                    continue;
                }
            }

            Emit(decoded.AsSpan(0, n));
        }
    }

    private void Emit(ReadOnlySpan<short> samples)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, FrameSamples - frameFill);
            samples[..take].CopyTo(frame.AsSpan(frameFill));
            frameFill += take;
            samples = samples[take..];
            if (frameFill == FrameSamples)
            {
                frameFill = 0;
                Counters.Inc(ref counters.AudioFramesReceived);
                Handler?.Invoke(frame);
            }
        }
    }

    public void Dispose() => decoder.Dispose();
}
