using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Srtp;
using Xunit.Abstractions;

namespace RemoteMedia.WebRtc.Tests;

public class FecTests(ITestOutputHelper output)
{
    private static short[] Voice(int samples)
    {
        var s = new short[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++)
        {
            double t = i / 48000.0;
            double f0 = 140 + (60 * Math.Sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * f0 / 48000;
            s[i] = (short)(7000 * (0.6 + (0.4 * Math.Sin(2 * Math.PI * 3 * t))) * (Math.Sin(phase) + (0.5 * Math.Sin(2 * phase)) + (0.3 * Math.Sin(3 * phase))));
        }

        return s;
    }

    /// <summary>Sends 60 frames through encoder -> SRTP -> receive pipeline, dropping packet <paramref name="drop"/>; returns output and counters.</summary>
    private static (short[] Out, Counters Counters) RunWithLoss(short[] src, int drop, int fecLoss)
    {
        var key = new byte[30];
        var counters = new Counters();
        using var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        using var rx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true);
        using var enc = new OpusEncoder(Interop.OpusNative.ApplicationVoip, fecLoss);
        using var recv = new AudioReceivePipeline(rx, 111, 3, 10, counters);
        var outp = new List<short>();
        recv.Handler = f => outp.AddRange(f);
        var packetizer = new RtpPacketizer(111, 1, 0, 0);
        var opus = new byte[1500];
        var packet = new byte[2000];
        for (int f = 0; f < 60; f++)
        {
            int n = enc.Encode(src.AsSpan(f * 960, 960), opus);
            int len = packetizer.Write(packet, opus.AsSpan(0, n), 960);
            Assert.Equal(0, tx.Protect(packet, ref len));
            if (f != drop)
            {
                recv.OnSrtp(packet, len);
            }
        }

        return (outp.ToArray(), counters);
    }

    [Fact]
    public void Encoder_reports_fec_on_only_when_asked()
    {
        using var with = new OpusEncoder(Interop.OpusNative.ApplicationVoip, 20);
        using var without = new OpusEncoder();
        Assert.True(with.InbandFec);
        Assert.False(without.InbandFec);
    }

    [Fact]
    public void The_pipeline_decodes_a_lost_packet_from_the_next_packets_fec()
    {
        var src = Voice(960 * 60);
        var (fecOut, fecCounters) = RunWithLoss(src, drop: 30, fecLoss: 20);
        Assert.Equal(1, fecCounters.FecRecoveredFrames);
        Assert.Equal(0, fecCounters.ConcealedFrames);
        Assert.Equal(1, fecCounters.FecRecoveredFrames + fecCounters.ConcealedFrames);
        Assert.True(fecOut.Length >= 960 * 56, "frames around the loss are delivered");
    }

    [Fact]
    public void Fec_decoding_uses_the_redundant_data_instead_of_plain_concealment()
    {
        var src = Voice(960 * 40);
        using var enc = new OpusEncoder(Interop.OpusNative.ApplicationVoip, 20);
        var packets = new List<byte[]>();
        var buf = new byte[1500];
        for (int f = 0; f < 40; f++)
        {
            int n = enc.Encode(src.AsSpan(f * 960, 960), buf);
            packets.Add(buf[..n]);
        }

        // Two decoders with the same history up to the lost packet 20.
        using var a = new OpusDecoder();
        using var b = new OpusDecoder();
        var pcm = new short[OpusDecoder.MaxFrameSamples];
        for (int f = 0; f < 20; f++)
        {
            Assert.Equal(960, a.Decode(packets[f], pcm));
            Assert.Equal(960, b.Decode(packets[f], pcm));
        }

        Assert.True(packets[21][0] >> 3 < 16, "with FEC on, voice at this rate is coded in SILK or hybrid mode");
        var fromFec = new short[960];
        var concealed = new short[960];
        Assert.Equal(960, a.DecodeFec(packets[21], fromFec));
        Assert.Equal(960, b.Conceal(concealed));
        int differing = fromFec.Zip(concealed).Count(p => p.First != p.Second);
        output.WriteLine($"FEC frame differs from concealment in {differing} of 960 samples; rms fec {Signal.Rms(fromFec):F0}, plc {Signal.Rms(concealed):F0}, source {Signal.Rms(src.AsSpan(20 * 960, 960)):F0}");
        Assert.True(differing > 480, "the FEC decode produced the concealment output: no redundant data was used");
    }
}
