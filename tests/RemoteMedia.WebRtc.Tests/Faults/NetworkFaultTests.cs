using Xunit.Abstractions;

namespace RemoteMedia.WebRtc.Tests.Faults;

/// <summary>
/// A loopback call through <see cref="LossyRelay"/>: loss, duplication, reordering, 100 ms jitter and a 2 s blackout.
/// The session must survive, the jitter buffer and Opus concealment must keep the audio going, and the call must
/// recover after the blackout. All randomness is seeded; traffic is bounded (a few seconds of 20 ms packets).
/// </summary>
public class NetworkFaultTests(ITestOutputHelper output)
{
    private const int Frames = 150;   // 3 s of audio

    private sealed class RelayedCall : IDisposable
    {
        private readonly List<short> got = [];

        internal RelayedCall(int seed, PeerConnectionOptions? options = null)
        {
            Client = new LoopbackClient();
            Peer = PeerConnection.CreateFromOffer(Client.Offer(), options);
            Relay = new LossyRelay(Peer.LocalEndPoint, seed);
            Peer.AudioFrameReceived += frame =>
            {
                lock (got)
                {
                    got.AddRange(frame);
                }
            };
            Peer.StateChanged += (_, s) =>
            {
                lock (States)
                {
                    States.Add(s);
                }
            };
            Client.Connect(Relay.Rewrite(Peer.LocalDescription));
            LoopbackTests.WaitFor(() => Peer.State == PeerConnectionState.Connected, "Connected through the relay");
        }

        internal LoopbackClient Client { get; }

        internal PeerConnection Peer { get; }

        internal LossyRelay Relay { get; }

        internal List<PeerConnectionState> States { get; } = [];

        internal int ReceivedSamples
        {
            get
            {
                lock (got)
                {
                    return got.Count;
                }
            }
        }

        internal short[] ReceivedFrom(int start)
        {
            lock (got)
            {
                return got.Skip(start).ToArray();
            }
        }

        /// <summary>Sends <paramref name="pcm"/> paced at 20 ms, with an ICE consent check every 500 ms as a browser does.</summary>
        internal void Talk(short[] pcm)
        {
            for (int f = 0; f + 960 <= pcm.Length; f += 960)
            {
                if (f / 960 % 25 == 0)
                {
                    Client.SendStunCheck();
                }

                Client.SendFrame(pcm.AsSpan(f, 960));
                Thread.Sleep(20);
            }
        }

        public void Dispose()
        {
            Peer.Dispose();
            Relay.Dispose();
            Client.Dispose();
        }
    }

    [Theory]
    [InlineData(0.05, 11)]
    [InlineData(0.20, 12)]
    public void Loss_duplication_reordering_and_jitter_are_concealed_and_the_call_survives(double loss, int seed)
    {
        using var call = new RelayedCall(seed);
        var chirp = OpusTests.Chirp(Frames * 960);
        int start = call.ReceivedSamples;
        call.Relay.Impairment = new Impairment { Loss = loss, Duplicate = 0.05, Reorder = 0.05, Jitter = TimeSpan.FromMilliseconds(100) };
        call.Talk(chirp);
        call.Relay.Impairment = Impairment.None;

        // Everything the relay delivered has been through the jitter buffer once the last (delayed) packets arrive.
        // The buffer keeps up to its depth (3 packets) at the end of a stream, so a few frames are not out yet.
        LoopbackTests.WaitFor(() => call.Peer.GetStats().AudioFramesReceived >= Frames - 10, "the audio timeline to be filled");
        var s = call.Peer.GetStats();
        var received = call.ReceivedFrom(start);
        // The first packets may arrive late (jitter) and be skipped, so the received audio may start later in the
        // signal than the reference: search both directions.
        double c = Math.Max(
            Signal.MaxNormalizedCrossCorrelation(chirp, received, 4000, out int lag),
            Signal.MaxNormalizedCrossCorrelation(received, chirp, 4000, out _));
        output.WriteLine($"loss {loss:P0}: relay seen={call.Relay.Seen} dropped={call.Relay.Dropped} dup={call.Relay.Duplicated} reordered={call.Relay.Reordered}; " +
            $"server rtp={s.RtpPackets} frames={s.AudioFramesReceived} concealed={s.ConcealedFrames} lost={s.JitterLost} late={s.JitterLate} dups={s.JitterDuplicates} replays={s.SrtpReplays}; corr={c:F3} lag={lag}");

        Assert.Equal(PeerConnectionState.Connected, call.Peer.State);
        Assert.True(call.Relay.Dropped > 0 && call.Relay.Duplicated > 0, "the relay must actually have impaired the stream");

        // Every 20 ms slot of the sent timeline came out as audio: decoded or concealed; nothing stalled.
        Assert.InRange(s.AudioFramesReceived, Frames - 10, Frames + 5);
        Assert.True(s.ConcealedFrames >= 1, "lost packets must be concealed");
        Assert.True(s.ConcealedFrames <= s.JitterLost + s.OpusDecodeErrors + 1, $"concealed {s.ConcealedFrames} vs lost {s.JitterLost}");

        // Duplicates never reach the decoder twice: SRTP's replay window or the jitter buffer drops them.
        Assert.True(s.SrtpReplays + s.JitterDuplicates >= 1, "duplicates must be dropped");
        Assert.True(s.RtpPackets <= Frames, $"rtp {s.RtpPackets} > sent {Frames}");

        // The audio is still the sent signal.
        Assert.True(c > (loss < 0.1 ? 0.6 : 0.4), $"correlation {c:F3} at {loss:P0} loss");
    }

    [Fact]
    public void A_two_second_blackout_is_survived_and_the_call_recovers()
    {
        var options = new PeerConnectionOptions { DisconnectedAfter = TimeSpan.FromSeconds(1), ConsentTimeout = TimeSpan.FromSeconds(10) };
        using var call = new RelayedCall(21, options);
        var chirp = OpusTests.Chirp(50 * 960);
        call.Talk(chirp);

        // 2 s of blackout while the client keeps talking and checking consent.
        call.Relay.Blackout = true;
        call.Talk(OpusTests.Chirp(100 * 960));
        call.Relay.Blackout = false;
        LoopbackTests.WaitFor(
            () =>
            {
                call.Client.SendStunCheck();
                Thread.Sleep(50);
                return call.Peer.State == PeerConnectionState.Connected;
            },
            "the call to come back after the blackout");

        int start = call.ReceivedSamples;
        call.Talk(chirp);
        LoopbackTests.WaitFor(() => call.ReceivedSamples - start >= 45 * 960, "audio after the blackout");
        var after = call.ReceivedFrom(start);
        double c = Signal.MaxNormalizedCrossCorrelation(chirp, after, 4000, out int lag);
        var s = call.Peer.GetStats();
        output.WriteLine($"blackout: relay dropped={call.Relay.Dropped}; states={string.Join(",", call.States)}; frames={s.AudioFramesReceived} concealed={s.ConcealedFrames} lost={s.JitterLost}; corr after={c:F3} lag={lag}");

        lock (call.States)
        {
            // Disconnected during the blackout, Connected again when consent checks came back, never Failed.
            // (After the last check the short DisconnectedAfter may mark it Disconnected again: that is not asserted on.)
            int down = call.States.IndexOf(PeerConnectionState.Disconnected);
            Assert.True(down > 0, string.Join(",", call.States));
            Assert.Contains(PeerConnectionState.Connected, call.States.Skip(down + 1));
            Assert.DoesNotContain(PeerConnectionState.Failed, call.States);
        }

        Assert.True(call.Relay.Dropped >= 100, "the blackout dropped the client's packets");
        Assert.True(c > 0.8, $"correlation after the blackout {c:F3}");
    }
}
