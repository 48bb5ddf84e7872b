using RemoteMedia.Speech.Interop;
using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

[CollectionDefinition(nameof(DecoderCounting), DisableParallelization = true)]
public sealed class DecoderCounting;

/// <summary>Every decoder is freed exactly once, by Dispose or by the pool. Runs alone: it counts live decoders.</summary>
[Collection(nameof(DecoderCounting))]
public class LifetimeTests
{
    public LifetimeTests() => SpeechEngines.RequirePocketSphinx();

    [Fact]
    public void Disposed_recognizer_refuses_work_and_frees_its_decoder()
    {
        var before = SafeDecoderHandle.LiveCount;
        var recognizer = new PocketSphinxRecognizer();
        Assert.Equal(before + 1, SafeDecoderHandle.LiveCount);

        recognizer.Dispose();

        Assert.Equal(before, SafeDecoderHandle.LiveCount);
        Assert.Throws<ObjectDisposedException>(() => recognizer.StartUtterance());
        Assert.Throws<ObjectDisposedException>(() => recognizer.Feed(new short[10]));
        recognizer.Dispose(); // idempotent
    }

    [Fact]
    public void Failed_construction_leaves_no_decoder_behind()
    {
        var before = SafeDecoderHandle.LiveCount;

        Assert.Throws<RemoteMediaException>(() => new PocketSphinxRecognizer(new PocketSphinxOptions { Grammar = "#JSGF V1.0;\ngrammar g;\npublic <a> = zorblax;\n" }));

        Assert.Equal(before, SafeDecoderHandle.LiveCount);
    }

    [Fact]
    public void Pool_reuses_returned_recognizers_and_disposes_the_surplus()
    {
        var before = SafeDecoderHandle.LiveCount;
        var created = 0;
        using (var pool = new SpeechRecognizerPool(() => { created++; return new PocketSphinxRecognizer(); }, maxIdle: 1))
        {
            ISpeechRecognizer first;
            using (var lease = pool.Rent())
            {
                first = lease.Recognizer;
                lease.Recognizer.StartUtterance(); // returned mid-utterance: the pool cancels it
            }
            Assert.Equal(1, pool.IdleCount);

            using (var again = pool.Rent())
            using (var second = pool.Rent())
            {
                Assert.Same(first, again.Recognizer);
                Assert.False(again.Recognizer.IsUtteranceOpen);
                Assert.NotSame(first, second.Recognizer);
            }
            Assert.Equal(1, pool.IdleCount); // the second one went over MaxIdle and was disposed
            Assert.Equal(before + 1, SafeDecoderHandle.LiveCount);
        }
        Assert.Equal(2, created);
        Assert.Equal(before, SafeDecoderHandle.LiveCount);
    }

    [Fact]
    public void Lease_gives_its_recognizer_back_once()
    {
        using var pool = new SpeechRecognizerPool(() => new PocketSphinxRecognizer(), maxIdle: 2);
        var lease = pool.Rent();

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(1, pool.IdleCount);
        Assert.Throws<ObjectDisposedException>(() => lease.Recognizer);
    }

    [Fact]
    public void A_fresh_decoder_hears_the_headline_command_on_its_first_utterance()
    {
        using var fixture = new SpeechFixture();
        using var recognizer = new PocketSphinxRecognizer();

        Assert.Equal("please turn on the kitchen lights", recognizer.Recognize(fixture.Speak16k("please turn on the kitchen lights")).Text);
    }

    [Fact]
    public void Separate_recognizers_decode_concurrently()
    {
        using var fixture = new SpeechFixture();
        string[] commands = ["please turn on the kitchen lights", "what time is it", "turn on the hallway lights", "goodbye"];
        var audio = commands.Select(fixture.Speak16k).ToArray();

        var heard = new string[commands.Length];
        Parallel.For(0, commands.Length, i =>
        {
            using var recognizer = new PocketSphinxRecognizer();
            heard[i] = recognizer.Recognize(audio[i]).Text;
        });

        Assert.Equal(commands, heard);
    }
}
