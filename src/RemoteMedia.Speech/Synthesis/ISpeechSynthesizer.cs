using System.Buffers;
using System.Diagnostics;

namespace RemoteMedia.Speech;

/// <summary>Turns reply text into speech audio, mono 16-bit PCM in <see cref="OutputFormat"/>.</summary>
public interface ISpeechSynthesizer : IDisposable
{
    /// <summary>The format of every sample written (the engine's native rate; resample downstream as needed).</summary>
    AudioFormat OutputFormat { get; }

    /// <summary>Appends the speech for <paramref name="text"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="RemoteMediaException">Empty text, or an engine failure.</exception>
    void Synthesize(string text, IBufferWriter<short> destination);
}

/// <summary>A synthesized sentence: samples in <see cref="Format"/> and how long the engine took.</summary>
public sealed record SynthesizedSpeech(short[] Samples, AudioFormat Format, TimeSpan ProcessingTime)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / Format.Channels / Format.SampleRate);
}

public static class SpeechSynthesizerExtensions
{
    /// <summary>Synthesizes <paramref name="text"/> into a new array.</summary>
    public static SynthesizedSpeech Synthesize(this ISpeechSynthesizer synthesizer, string text)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        var started = Stopwatch.GetTimestamp();
        var buffer = new ArrayBufferWriter<short>(synthesizer.OutputFormat.SampleRate * 2);
        synthesizer.Synthesize(text, buffer);
        return new SynthesizedSpeech(buffer.WrittenSpan.ToArray(), synthesizer.OutputFormat, Stopwatch.GetElapsedTime(started));
    }
}
