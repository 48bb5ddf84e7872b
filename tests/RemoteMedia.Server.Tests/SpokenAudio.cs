using System.Runtime.InteropServices;
using RemoteMedia.Server.Assistant;
using RemoteMedia.Speech;

namespace RemoteMedia.Server.Tests;

/// <summary>
/// Spoken test sentences as a caller's microphone would send them: espeak-ng (the synthesizer the server itself
/// uses) through the server's reply pipeline to 48 kHz i16 mono, padded with silence and rounded up to whole
/// 20 ms frames. One synthesizer for the test process (espeak-ng is process-global anyway).
/// </summary>
internal static class SpokenAudio
{
    private const int Rate = 48_000;
    private const int FrameSamples = 960;
    private static readonly Lazy<EspeakSynthesizer> Synthesizer = new(() => new EspeakSynthesizer(new EspeakOptions { WordsPerMinute = 140 }));

    public static short[] At48k(string sentence, double silenceBeforeSeconds, double silenceAfterSeconds)
    {
        var spoken = Synthesizer.Value.Synthesize(sentence);
        using var pipeline = VoicePipelines.Reply(RuntimeHint.Auto, "test");
        var pcm = MemoryMarshal.Cast<byte, short>(pipeline.Run(spoken.Format, MemoryMarshal.AsBytes(spoken.Samples.AsSpan())).Output.AsSpan());
        var lead = (int)(Rate * silenceBeforeSeconds);
        var total = lead + pcm.Length + (int)(Rate * silenceAfterSeconds);
        var padded = new short[(total + FrameSamples - 1) / FrameSamples * FrameSamples];
        pcm.CopyTo(padded.AsSpan(lead));
        Assert.True(pcm.ToArray().Max(s => Math.Abs((int)s)) > 3000, $"espeak-ng produced silence for \"{sentence}\"");
        return padded;
    }
}
