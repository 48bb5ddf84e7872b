using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RemoteMedia.Pipeline;
using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.LoadTest;

/// <summary>
/// Where one caller's 20 ms frame goes on the server, stage by stage, on one thread with the same speech loop:
/// SRTP unprotect (libsrtp2), Opus decode (libopus), and the preprocessing pipeline (the SDK's nodes, native when
/// the library loads). The rest of the per-stream CPU in the ramp is the socket, thread wake-ups and bookkeeping.
/// </summary>
internal static class Breakdown
{
    public sealed record Stage(string Name, double MeanMicros, double P50Micros, double P99Micros);

    public static List<Stage> Measure(SpeechLoop speech, int rounds = 3)
    {
        var frames = speech.Packets.Length;
        var key = RandomNumberGenerator.GetBytes(30);
        using var send = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        using var receive = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true, replayWindow: 1024);
        var packetizer = new RtpPacketizer(111, 0x1234, 1, 1);
        var protectedPackets = new List<byte[]>();
        var buffer = new byte[1500];
        for (var r = 0; r < rounds; r++)
        {
            foreach (var opus in speech.Packets)
            {
                var n = packetizer.Write(buffer, opus, 960);
                send.Protect(buffer, ref n);
                protectedPackets.Add(buffer.AsSpan(0, n).ToArray());
            }
        }
        var srtp = new double[protectedPackets.Count];
        for (var i = 0; i < protectedPackets.Count; i++)
        {
            var p = protectedPackets[i];
            p.CopyTo(buffer, 0);
            var n = p.Length;
            var t = Stopwatch.GetTimestamp();
            receive.Unprotect(buffer, ref n);
            srtp[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }

        using var decoder = new OpusDecoder();
        var pcm = new short[OpusDecoder.MaxFrameSamples];
        var decoded = new short[frames * rounds * 960];
        var opusTimes = new double[frames * rounds];
        for (var i = 0; i < frames * rounds; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var n = decoder.Decode(speech.Packets[i % frames], pcm);
            opusTimes[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            pcm.AsSpan(0, Math.Min(n, 960)).CopyTo(decoded.AsSpan(i * 960));
        }

        using var pipeline = AudioPipeline.CreateBuilder("voice-preprocessing")
            .Then("format", "FormatConverterNode", """{"target_format":"f32","target_channels":1}""")
            .Then("resample", "AudioResampleNode", """{"target_sample_rate":16000,"quality":"high"}""")
            .Then("vad", "VADNode", """{"frame_duration_ms":20}""")
            .Then("utterances", "VADTriggeredBuffer",
                """{"min_speech_duration_s":0.3,"max_speech_duration_s":8,"silence_duration_s":0.45,"pre_speech_buffer_s":0.3}""")
            .WithOptions(new PipelineOptions { OutputNodeId = "utterances" })
            .Build();
        using var session = pipeline.OpenSession(AudioFormat.S16(48_000, 1), (_, _, _) => { });
        var pipelineTimes = new double[frames * rounds];
        for (var i = 0; i < frames * rounds; i++)
        {
            var frame = decoded.AsSpan(i * 960, 960);
            var t = Stopwatch.GetTimestamp();
            session.Push(MemoryMarshal.AsBytes(frame));
            pipelineTimes[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        var runtime = string.Join(", ", pipeline.Nodes.Select(n => $"{n.Kind}={n.Runtime}"));
        return
        [
            Summarize("SRTP unprotect (libsrtp2, AES128_CM_HMAC_SHA1_80)", srtp, skip: 50),
            Summarize("Opus decode 20 ms (libopus)", opusTimes, skip: 50),
            Summarize($"preprocessing pipeline ({runtime})", pipelineTimes, skip: 50),
        ];
    }

    private static Stage Summarize(string name, double[] times, int skip)
    {
        var sorted = times.Skip(skip).Order().ToArray();
        return new Stage(name, sorted.Average(), sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
    }
}
