using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemoteMedia.Server.Assistant;
using RemoteMedia.WebRtc.Tests;
using Xunit.Abstractions;

namespace RemoteMedia.Server.Tests.Load;

/// <summary>
/// Ten callers at once against a real in-process voice server on 127.0.0.1: each headless client (the transport
/// tests' LoopbackClient: BouncyCastle DTLS client, libsrtp2, libopus) speaks a different command in real time and
/// must get its own transcript on its own WebSocket. Then every session and native node must be gone.
/// The preprocessing time per frame is reported, not asserted (benchmarks measure time, tests do not).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class ConcurrentCallsTests(ITestOutputHelper output)
{
    private const int FrameSamples = 960;

    // Sentences of the command grammar that espeak-ng + pocketsphinx round-trip exactly (see the speech tests).
    private static readonly string[] Commands =
    [
        "please turn on the kitchen lights",
        "turn off the kitchen lights",
        "turn on the living room lights",
        "please turn off the bedroom lights",
        "turn on the garage lights",
        "turn off all the lights",
        "are the office lights on",
        "what time is it",
        "what day is it",
        "goodbye",
    ];

    [Fact]
    public async Task Ten_concurrent_callers_each_get_their_own_transcript_and_everything_is_released()
    {
        var nativeBaseline = RemoteMediaRuntime.LiveNativeNodes;
        var frameMicros = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerMetrics.MeterName && instrument.Name == "remotemedia.preprocess.frame.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (frameMicros)
            {
                frameMicros.Add(value);
            }
        });
        listener.Start();

        var server = await RunningServer.StartAsync(null, "--VoiceServer:MaxSessions=12");
        var callers = new List<Caller>();
        var sessionRefs = new List<WeakReference>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            // espeak-ng and the server's reply pipeline make the callers' speech at 48 kHz; the VAD needs the pause after.
            var speech = Commands.Select(c => SpokenAudio.At48k(c, 0.4, 1.2)).ToArray();

            // Signaling and DTLS for all ten at once.
            callers.AddRange(await Task.WhenAll(Commands.Select((c, i) => Caller.ConnectAsync(server, c, speech[i]))));
            Assert.Equal(Commands.Length, server.Sessions.Count);
            output.WriteLine($"{callers.Count} callers connected after {stopwatch.ElapsedMilliseconds} ms");

            // One real-time sender: every 20 ms each caller sends its next frame (Opus, SRTP), like ten microphones.
            await Task.Run(() => SendPaced(callers));
            output.WriteLine($"speech sent after {stopwatch.ElapsedMilliseconds} ms");

            var transcripts = await Task.WhenAll(callers.Select(c => c.TranscriptAsync(TimeSpan.FromSeconds(30))));
            output.WriteLine($"transcripts after {stopwatch.ElapsedMilliseconds} ms");
            for (var i = 0; i < callers.Count; i++)
            {
                output.WriteLine($"  caller {i}: said '{callers[i].Command}', heard '{transcripts[i]}'");
            }
            for (var i = 0; i < callers.Count; i++)
            {
                Assert.Equal(callers[i].Command, transcripts[i]);
            }

            foreach (var session in server.Sessions.Sessions)
            {
                sessionRefs.Add(new WeakReference(session));
                var stats = session.Stats;
                Assert.True(stats.RtpPackets > 0, $"session {session.SessionId} received no RTP");
                Assert.Equal(0, stats.SrtpAuthFailures + stats.SrtpOtherFailures + stats.SrtpReplays);
            }
            foreach (var caller in callers)
            {
                Assert.Equal(0, caller.Client.Counters.SrtpAuthFailures + caller.Client.Counters.SrtpOtherFailures);
            }
        }
        finally
        {
            await Task.WhenAll(callers.Select(c => c.HangUpAsync()));
            var deadline = Stopwatch.StartNew();
            while (server.Sessions.Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
            var left = server.Sessions.Count;
            await server.DisposeAsync();
            Assert.Equal(0, left);
        }

        Assert.Equal(nativeBaseline, RemoteMediaRuntime.LiveNativeNodes);

        // Nothing keeps a finished call alive (its peer, pipelines and buffers are all reachable from the session).
        Assert.Equal(Commands.Length, sessionRefs.Count);
        for (var i = 0; i < 5 && sessionRefs.Any(r => r.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100);
        }
        Assert.DoesNotContain(sessionRefs, r => r.IsAlive);
        double[] sorted;
        lock (frameMicros)
        {
            sorted = [.. frameMicros.Order()];
        }
        Assert.NotEmpty(sorted);
        output.WriteLine(
            $"preprocessing ({(RemoteMediaRuntime.Status.IsNativeAvailable ? "native" : "managed")}): {sorted.Length} frames, " +
            $"mean {sorted.Average():F1} us, p50 {Percentile(sorted, 0.50):F1} us, p99 {Percentile(sorted, 0.99):F1} us per 20 ms frame " +
            $"= {sorted.Average() * 500 / 1000:F2} ms per 10 s of audio; total {stopwatch.ElapsedMilliseconds} ms");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void SendPaced(List<Caller> callers)
    {
        var frames = callers.Max(c => c.Speech.Length) / FrameSamples;
        var clock = Stopwatch.StartNew();
        for (var f = 0; f < frames; f++)
        {
            var due = TimeSpan.FromMilliseconds(20.0 * f);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            foreach (var caller in callers)
            {
                var offset = f * FrameSamples;
                if (offset + FrameSamples <= caller.Speech.Length)
                {
                    caller.Client.SendFrame(caller.Speech.AsSpan(offset, FrameSamples));
                }
                else
                {
                    caller.Client.SendFrame(new short[FrameSamples]);
                }
            }
        }
    }

    private sealed class Caller
    {
        private readonly Signaling signaling;
        private readonly TaskCompletionSource<string> transcript = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task reader;

        private Caller(Signaling signaling, LoopbackClient client, string command, short[] speech)
        {
            this.signaling = signaling;
            Client = client;
            Command = command;
            Speech = speech;
            reader = Task.Run(ReadAsync);
        }

        public LoopbackClient Client { get; }

        public string Command { get; }

        public short[] Speech { get; }

        public static async Task<Caller> ConnectAsync(RunningServer server, string command, short[] speech)
        {
            var signaling = await server.ConnectAsync();
            var client = new LoopbackClient();
            try
            {
                await signaling.SendAsync(new { type = "offer", sdp = client.Offer() });
                var answer = await signaling.ReceiveAsync("answer") ?? throw new InvalidOperationException("no answer");
                var sdp = answer.GetProperty("sdp").GetString()!;
                await Task.Run(() => client.Connect(sdp));
                return new Caller(signaling, client, command, speech);
            }
            catch
            {
                client.Dispose();
                signaling.Dispose();
                throw;
            }
        }

        public async Task<string> TranscriptAsync(TimeSpan timeout) =>
            await transcript.Task.WaitAsync(timeout);

        private async Task ReadAsync()
        {
            try
            {
                while (await signaling.ReceiveAsync(timeoutSeconds: 60) is JsonElement message)
                {
                    if (message.GetProperty("type").GetString() == "transcript")
                    {
                        transcript.TrySetResult(message.GetProperty("text").GetString() ?? string.Empty);
                    }
                }
                transcript.TrySetException(new InvalidOperationException("the signaling socket closed before a transcript arrived"));
            }
            catch (Exception ex)
            {
                transcript.TrySetException(ex);
            }
        }

        public async Task HangUpAsync()
        {
            try
            {
                await signaling.SendAsync(new { type = "close" });
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            try
            {
                await reader.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
            }
            Client.Dispose();
            signaling.Dispose();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "load";
}
