using System.Diagnostics;
using System.Runtime.InteropServices;
using RemoteMedia.Audio.Wav;
using RemoteMedia.WebRtc;
using RemoteMedia.WebRtc.Tests;
using RemoteMedia.WebRtc.Tests.Faults;
using Xunit.Abstractions;

namespace RemoteMedia.Server.Tests.Hardening;

/// <summary>Media faults through the real voice server (Kestrel on 127.0.0.1, a loopback WebRTC client, a lossy relay).</summary>
public sealed class ServerFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("rm-server-faults-");

    public void Dispose() => work.Delete(recursive: true);

    private static async Task WaitForAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_client_that_vanishes_is_cleaned_up_after_the_consent_timeout()
    {
        var handlers = new QuietCallHandlers();
        await using var server = await RunningServer.StartAsync(handlers, "--VoiceServer:ConsentTimeoutSeconds=1");
        using var signaling = await server.ConnectAsync();
        var client = new LoopbackClient();
        await signaling.SendAsync(new { type = "offer", sdp = client.Offer() });
        var answer = await signaling.ReceiveAsync("answer");
        Assert.NotNull(answer);
        client.Connect(answer.Value.GetProperty("sdp").GetString()!);
        await WaitForAsync(() => server.Sessions.Sessions.Any(s => s.State == PeerConnectionState.Connected), "the session to connect");
        Assert.Equal(1, handlers.Live);

        // The client's machine goes away: no more packets, no close message; the page's WebSocket is still open.
        client.Dispose();
        var failed = await signaling.ReceiveAsync("state", timeoutSeconds: 20);
        while (failed is not null && failed.Value.GetProperty("state").GetString() != "failed")
        {
            failed = await signaling.ReceiveAsync("state", timeoutSeconds: 20);
        }

        Assert.NotNull(failed);
        await WaitForAsync(() => server.Sessions.Count == 0 && handlers.Live == 0, "the session and its handler to be released");
    }

    [Fact]
    public async Task A_sentence_spoken_through_5_percent_loss_and_jitter_is_still_transcribed()
    {
        await using var server = await RunningServer.StartAsync();
        using var signaling = await server.ConnectAsync();
        var speech = Speech48kMono("please turn on the kitchen lights");
        using var client = new LoopbackClient();
        await signaling.SendAsync(new { type = "offer", sdp = client.Offer() });
        var answer = await signaling.ReceiveAsync("answer");
        Assert.NotNull(answer);
        var session = Assert.Single(server.Sessions.Sessions);
        using var relay = new LossyRelay(session.MediaEndPoint, seed: 5);
        client.Connect(relay.Rewrite(answer.Value.GetProperty("sdp").GetString()!));
        await WaitForAsync(() => session.State == PeerConnectionState.Connected, "the session to connect");

        relay.Impairment = new Impairment { Loss = 0.05, Duplicate = 0.02, Reorder = 0.02, Jitter = TimeSpan.FromMilliseconds(40) };
        var talking = Task.Run(() =>
        {
            for (int f = 0; f + 960 <= speech.Length; f += 960)
            {
                if (f / 960 % 25 == 0)
                {
                    client.SendStunCheck();
                }

                client.SendFrame(speech.AsSpan(f, 960));
                Thread.Sleep(20);
            }
        });

        var transcript = await signaling.ReceiveAsync("transcript", timeoutSeconds: 30);
        await talking;
        var stats = session.Stats;
        output.WriteLine($"relay seen={relay.Seen} dropped={relay.Dropped} dup={relay.Duplicated}; server rtp={stats.RtpPackets} concealed={stats.ConcealedFrames} lost={stats.JitterLost} late={stats.JitterLate}; transcript={transcript}");
        Assert.True(relay.Dropped > 0, "the relay must have dropped packets");
        Assert.True(stats.ConcealedFrames > 0, "losses must have been concealed");
        Assert.NotNull(transcript);
        Assert.Equal("please turn on the kitchen lights", transcript.Value.GetProperty("text").GetString());
    }

    /// <summary>The sentence at 48 kHz mono s16 with 1 s of silence before and 1.5 s after.</summary>
    private static short[] Speech48kMono(string sentence) => SpokenAudio.At48k(sentence, 1, 1.5);
}
