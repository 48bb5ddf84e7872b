using System.Buffers;
using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

public class EspeakSynthesizerTests(SpeechFixture speech) : IClassFixture<SpeechFixture>
{
    [Fact]
    public void Output_is_mono_16_bit_at_espeaks_native_rate()
    {
        Assert.Equal(AudioFormat.S16(22_050, 1), speech.Synthesizer.OutputFormat);
        Assert.StartsWith("1.", speech.Synthesizer.EngineVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sentence_becomes_loud_speech_of_plausible_length()
    {
        var result = speech.Synthesizer.Synthesize("please turn on the kitchen lights");

        // Six words at 150 words per minute is about 2.4 s; allow for espeak's pauses and phrasing.
        Assert.InRange(result.Duration.TotalSeconds, 1.2, 4.0);
        var samples = result.Samples.Select(s => s / 32768.0).ToArray();
        var rms = Math.Sqrt(samples.Average(s => s * s));
        Assert.True(rms > 0.02, $"speech is too quiet: rms {rms:F4}");
        Assert.True(samples.Max(Math.Abs) > 0.2, "speech has no loud peak");
        Assert.True(result.ProcessingTime > TimeSpan.Zero);
    }

    [Fact]
    public void Longer_text_gives_longer_audio_and_speed_follows_the_rate_option()
    {
        var shortText = speech.Synthesizer.Synthesize("hello");
        var longText = speech.Synthesizer.Synthesize("hello, the kitchen lights are now on and the garage lights are off");
        using var fast = new EspeakSynthesizer(new EspeakOptions { WordsPerMinute = 300 });
        var fastLong = fast.Synthesize("hello, the kitchen lights are now on and the garage lights are off");

        Assert.True(longText.Duration > shortText.Duration * 3);
        Assert.True(fastLong.Duration < longText.Duration * 0.75, $"{fastLong.Duration} at 300 wpm vs {longText.Duration} at 150");
    }

    [Fact]
    public void Synthesis_appends_to_the_callers_buffer()
    {
        var buffer = new ArrayBufferWriter<short>();

        speech.Synthesizer.Synthesize("hello", buffer);
        var afterOne = buffer.WrittenCount;
        speech.Synthesizer.Synthesize("hello", buffer);

        // espeak-ng carries filter state between calls, so a repeat differs by a few samples.
        Assert.True(afterOne > 11_025);
        Assert.InRange(buffer.WrittenCount, 2 * afterOne - 200, 2 * afterOne + 200);
    }

    [Fact]
    public void Concurrent_callers_are_serialized_and_get_the_same_audio()
    {
        var expected = speech.Synthesizer.Synthesize("what time is it").Samples;
        var expectedRms = Rms(expected);

        var results = new short[6][];
        Parallel.For(0, results.Length, i =>
        {
            using var synthesizer = new EspeakSynthesizer();
            results[i] = synthesizer.Synthesize("what time is it").Samples;
        });

        // Interleaved synthesis would splice sentences together (about twice as long) or crash; serialized calls
        // each get the whole sentence. Not to the sample: espeak-ng carries state from one call to the next, and
        // a fresh process's calls were seen up to 7% longer than its first.
        Assert.All(results, samples =>
        {
            Assert.InRange(samples.Length, expected.Length * 0.85, expected.Length * 1.15);
            Assert.InRange(Rms(samples), expectedRms * 0.85, expectedRms * 1.15);
        });
    }

    private static double Rms(short[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello\0world")]
    public void Empty_or_malformed_text_is_rejected(string text)
    {
        var error = Assert.Throws<RemoteMediaException>(() => speech.Synthesizer.Synthesize(text));

        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
    }

    [Fact]
    public void Overlong_text_is_rejected_before_holding_the_engine()
    {
        var error = Assert.Throws<RemoteMediaException>(() => speech.Synthesizer.Synthesize(new string('a', EspeakSynthesizer.MaxTextLength + 1)));

        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_voice_fails_at_construction_and_leaves_other_synthesizers_working()
    {
        SpeechEngines.RequireEspeak();

        var error = Assert.Throws<RemoteMediaException>(() => new EspeakSynthesizer(new EspeakOptions { Voice = "no-such-voice" }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains("no-such-voice", error.Message, StringComparison.Ordinal);
        Assert.True(speech.Synthesizer.Synthesize("hello").Samples.Length > 0);
    }

    [Theory]
    [InlineData(79, 50, 100, "WordsPerMinute")]
    [InlineData(451, 50, 100, "WordsPerMinute")]
    [InlineData(150, 101, 100, "Pitch")]
    [InlineData(150, 50, -1, "Volume")]
    public void Out_of_range_options_are_rejected_with_their_name(int rate, int pitch, int volume, string name)
    {
        var error = Assert.Throws<RemoteMediaException>(() => new EspeakSynthesizer(new EspeakOptions { WordsPerMinute = rate, Pitch = pitch, Volume = volume }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_synthesizer_refuses_work()
    {
        SpeechEngines.RequireEspeak();
        var synthesizer = new EspeakSynthesizer();
        synthesizer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => synthesizer.Synthesize("hello"));
    }
}
