using System.Runtime.InteropServices;
using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>Streaming, bad input and configuration errors of the pocketsphinx recognizer.</summary>
public class RecognizerTests(SpeechFixture speech) : IClassFixture<SpeechFixture>
{
    private const string Command = "please turn on the kitchen lights";

    [Fact]
    public void Streaming_20_ms_frames_of_i16_gives_the_one_shot_transcript_with_word_timings()
    {
        var audio = ToInt16(speech.Speak16k(Command));
        var recognizer = speech.Recognizer;

        recognizer.StartUtterance();
        for (var offset = 0; offset < audio.Length; offset += 320)
        {
            recognizer.Feed(audio.AsSpan(offset, Math.Min(320, audio.Length - offset)));
        }
        Assert.True(recognizer.IsUtteranceOpen);
        var result = recognizer.FinishUtterance();

        Assert.False(recognizer.IsUtteranceOpen);
        Assert.Equal(Command, result.Text);
        var timings = string.Join(", ", result.Words.Select(w => $"{w.Word} {w.Start.TotalMilliseconds}-{w.End.TotalMilliseconds}"));
        Assert.True(result.Words.Zip(result.Words.Skip(1)).All(pair => pair.First.End <= pair.Second.Start), $"words overlap or are out of order: {timings}");
        Assert.True(result.Words[0].Start >= SpeechFixture.Padding * 0.5, $"first word starts inside the leading silence: {timings}");
        Assert.True(result.Words[^1].End <= result.AudioDuration, $"last word ends after the audio ({result.AudioDuration}): {timings}");
        Assert.True(result.ProcessingTime > TimeSpan.Zero && result.ProcessingTime < result.AudioDuration, $"processing took {result.ProcessingTime}");
    }

    [Fact]
    public void Pcm_bytes_in_f32_or_i16_at_16_kHz_are_accepted()
    {
        var audio = speech.Speak16k("what time is it");

        var fromFloat = speech.Recognizer.Recognize(MemoryMarshal.AsBytes(audio.AsSpan()), AudioFormat.F32(16_000, 1));
        var fromShort = speech.Recognizer.Recognize(MemoryMarshal.AsBytes(ToInt16(audio).AsSpan()), AudioFormat.S16(16_000, 1));

        Assert.Equal("what time is it", fromFloat.Text);
        Assert.Equal("what time is it", fromShort.Text);
    }

    [Fact]
    public void Silence_is_recognized_as_nothing_or_a_single_short_command()
    {
        // A grammar forces a best match, so silence may come back as a short command; the confidence tells.
        var result = speech.Recognizer.Recognize(new float[16_000]);

        Assert.True(result.IsEmpty || result.Words.Count <= 2, $"silence heard as '{result.Text}'");
    }

    [Fact]
    public void Empty_audio_is_an_error_and_the_recognizer_stays_usable()
    {
        var error = Assert.Throws<RemoteMediaException>(() => speech.Recognizer.Recognize(ReadOnlySpan<float>.Empty));

        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        Assert.False(speech.Recognizer.IsUtteranceOpen);
        Assert.Equal("hello", speech.Recognizer.Recognize(speech.Speak16k("hello")).Text);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_samples_are_an_error_naming_the_sample(float bad)
    {
        var audio = speech.Speak16k("stop");
        audio[5000] = bad;

        var error = Assert.Throws<RemoteMediaException>(() => speech.Recognizer.Recognize(audio));

        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("sample 5000", error.Message, StringComparison.Ordinal);
        Assert.False(speech.Recognizer.IsUtteranceOpen);
        audio[5000] = 0;
        Assert.Equal("stop", speech.Recognizer.Recognize(audio).Text);
    }

    [Theory]
    [InlineData(48_000, 1, SampleFormat.F32)]
    [InlineData(22_050, 1, SampleFormat.S16)]
    [InlineData(16_000, 2, SampleFormat.F32)]
    [InlineData(16_000, 1, SampleFormat.S32)]
    public void Audio_in_another_layout_is_rejected_with_what_to_convert(int rate, int channels, SampleFormat sample)
    {
        var format = new AudioFormat(rate, channels, sample);

        var error = Assert.Throws<RemoteMediaException>(() => speech.Recognizer.Recognize(new byte[format.BytesPerFrame * 1600], format));

        Assert.Equal(ErrorCode.UnsupportedFormat, error.ErrorCode);
        Assert.Contains("16000 Hz", error.Message, StringComparison.Ordinal);
        Assert.Contains("resample", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_frame_of_bytes_is_rejected()
    {
        var error = Assert.Throws<RemoteMediaException>(() => speech.Recognizer.Recognize(new byte[7], AudioFormat.F32(16_000, 1)));

        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
    }

    [Fact]
    public void Utterance_calls_out_of_order_are_state_errors()
    {
        var recognizer = speech.Recognizer;
        Assert.Equal(ErrorCode.StreamMismatch, Assert.Throws<RemoteMediaException>(() => recognizer.FinishUtterance()).ErrorCode);

        recognizer.StartUtterance();
        Assert.Equal(ErrorCode.StreamMismatch, Assert.Throws<RemoteMediaException>(() => recognizer.StartUtterance()).ErrorCode);
        recognizer.CancelUtterance();
        Assert.False(recognizer.IsUtteranceOpen);
        recognizer.CancelUtterance(); // idempotent
    }

    [Fact]
    public void Missing_model_is_a_clear_configuration_error()
    {
        var options = new PocketSphinxOptions { ModelDirectory = "/nonexistent/model" };

        Assert.False(PocketSphinxRecognizer.IsAvailable(options, out var reason));
        var error = Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(options));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains("/nonexistent/model/en-us/mdef", error.Message, StringComparison.Ordinal);
        Assert.Contains("pocketsphinx-en-us", error.Message, StringComparison.Ordinal);
        Assert.Equal(reason, error.Message);
    }

    [Fact]
    public void Missing_dictionary_is_a_clear_configuration_error()
    {
        SpeechEngines.RequirePocketSphinx();

        var error = Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(new PocketSphinxOptions { DictionaryPath = "/nonexistent.dict" }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains("/nonexistent.dict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grammar_with_an_unknown_word_names_the_word()
    {
        SpeechEngines.RequirePocketSphinx();
        var grammar = "#JSGF V1.0;\ngrammar bad;\npublic <command> = turn on the zorblax lights;\n";

        var error = Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(new PocketSphinxOptions { Grammar = grammar }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains("zorblax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grammar_with_a_syntax_error_is_a_configuration_error()
    {
        SpeechEngines.RequirePocketSphinx();

        var error = Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(new PocketSphinxOptions { Grammar = "this is not jsgf" }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
    }

    [Fact]
    public void Additional_arguments_reach_pocketsphinx_and_unknown_ones_are_rejected()
    {
        SpeechEngines.RequirePocketSphinx();
        using (var narrow = new PocketSphinxRecognizer(new PocketSphinxOptions { AdditionalArguments = new Dictionary<string, string> { ["-beam"] = "1e-48" } }))
        {
            Assert.Equal("stop", narrow.Recognize(speech.Speak16k("stop")).Text);
        }

        var error = Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(new PocketSphinxOptions { AdditionalArguments = new Dictionary<string, string> { ["-no-such-option"] = "1" } }));

        Assert.Equal(ErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains("-no-such-option 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void General_language_model_is_available_as_an_option()
    {
        SpeechEngines.RequirePocketSphinx();
        using var recognizer = new PocketSphinxRecognizer(new PocketSphinxOptions { Vocabulary = RecognitionVocabulary.GeneralLanguageModel });

        // Open vocabulary on a synthetic voice is unreliable (see the notes), so only check that it decodes.
        var result = recognizer.Recognize(speech.Speak16k("what time is it"));

        Assert.False(result.IsEmpty);
    }

    private static short[] ToInt16(float[] samples) =>
        samples.Select(s => (short)Math.Round(Math.Clamp(s, -1f, 1f) * short.MaxValue)).ToArray();
}
