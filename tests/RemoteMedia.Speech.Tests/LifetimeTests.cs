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
    public async Task Pool_reuses_recognizers_and_a_caller_over_the_maximum_waits_for_one()
    {
        var before = SafeDecoderHandle.LiveCount;
        var created = 0;
        using (var pool = new SpeechRecognizerPool(() => { Interlocked.Increment(ref created); return new PocketSphinxRecognizer(); }, maxRecognizers: 1))
        {
            var first = await pool.RentAsync();
            first.Recognizer.StartUtterance(); // given back mid-utterance: the pool cancels it

            var waiting = pool.RentAsync().AsTask();
            await Task.Delay(200);
            Assert.False(waiting.IsCompleted, "a second caller got a recognizer beyond the maximum of 1");

            var recognizer = first.Recognizer;
            first.Dispose();
            using (var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                Assert.Same(recognizer, second.Recognizer);
                Assert.False(second.Recognizer.IsUtteranceOpen);
            }

            Assert.Equal(1, pool.IdleCount);
            Assert.Equal(1, pool.CreatedCount);
            Assert.Equal(before + 1, SafeDecoderHandle.LiveCount);

            using var cancelled = new CancellationTokenSource();
            using (pool.Rent())
            {
                var gaveUp = pool.RentAsync(cancelled.Token).AsTask();
                cancelled.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
            }

            using (pool.Rent())
            {
                // The cancelled wait did not keep a slot: the recognizer is free again.
            }
        }

        Assert.Equal(1, created);
        Assert.Equal(before, SafeDecoderHandle.LiveCount);
    }

    [Fact]
    public void Warm_creates_up_to_the_maximum_and_never_more()
    {
        var created = 0;
        using var pool = new SpeechRecognizerPool(() => { Interlocked.Increment(ref created); return new PocketSphinxRecognizer(); }, maxRecognizers: 2);
        pool.Warm(5);
        Assert.Equal(2, created);
        Assert.Equal(2, pool.IdleCount);
        using (pool.Rent())
        using (pool.Rent())
        {
            Assert.Equal(0, pool.IdleCount);
        }

        pool.Warm(2);
        Assert.Equal(2, created);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeechRecognizerPool(() => new PocketSphinxRecognizer(), maxRecognizers: 0));
    }

    [Fact]
    public void Lease_gives_its_recognizer_back_once()
    {
        using var pool = new SpeechRecognizerPool(() => new PocketSphinxRecognizer(), maxRecognizers: 2);
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
