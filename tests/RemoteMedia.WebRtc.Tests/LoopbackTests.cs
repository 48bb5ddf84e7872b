using System.Net;
using System.Net.Sockets;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Tests;

public class LoopbackTests
{
    internal static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    internal static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            Thread.Sleep(10);
        }
    }

    private static (PeerConnection Server, LoopbackClient Client, List<short> ServerReceived) Connect(
        PeerConnectionOptions? options = null, SrtpProfile[]? profiles = null)
    {
        var client = new LoopbackClient();
        var pc = PeerConnection.CreateFromOffer(client.Offer(), options);
        var got = new List<short>();
        pc.AudioFrameReceived += frame =>
        {
            lock (got)
            {
                got.AddRange(frame);
            }
        };
        client.Connect(pc.LocalDescription, profiles);
        WaitFor(() => pc.State == PeerConnectionState.Connected, "Connected");
        return (pc, client, got);
    }

    private static int Count(List<short> l)
    {
        lock (l)
        {
            return l.Count;
        }
    }

    [Fact]
    public void Known_signal_crosses_both_ways_and_correlates_with_the_source()
    {
        var chirp = OpusTests.Chirp(48000);
        var (pc, client, got) = Connect();
        using (pc)
        using (client)
        {
            // server -> client: queued frames are paced out by the pacer
            for (int f = 0; f < 50; f++)
            {
                Assert.True(pc.WriteAudioFrame(chirp.AsSpan(f * 960, 960)));
            }

            // client -> server
            client.SendSignal(chirp, paced: true);
            WaitFor(() => Count(got) >= 48000, "server to receive 1 s");
            WaitFor(() => client.ReceivedSamples >= 47040, "client to receive 1 s");

            double up = Signal.MaxNormalizedCrossCorrelation(chirp, got.ToArray(), 2000, out int upLag);
            double down = Signal.MaxNormalizedCrossCorrelation(chirp, client.Received, 2000, out int downLag);
            Assert.True(up > 0.9, $"client->server correlation {up:F3} (lag {upLag})");
            Assert.True(down > 0.9, $"server->client correlation {down:F3} (lag {downLag})");

            var s = pc.GetStats();
            Assert.Equal(50, s.RtpPackets);
            Assert.Equal(50, s.AudioFramesSent);
            Assert.Equal(0, s.SrtpAuthFailures);
            Assert.Equal(0, s.JitterLost);
            Assert.True(s.StunAnswered >= 1);
            Assert.Equal("AES_CM_128_HMAC_SHA1_80", pc.SrtpProfileName);
        }

        Assert.Equal(PeerConnectionState.Closed, pc.State);
    }

    [Fact]
    public void Several_peers_at_once_each_get_their_own_audio()
    {
        double[] tones = [440, 1000, 2500];
        var sessions = tones.Select(_ => Connect()).ToArray();
        try
        {
            for (int i = 0; i < tones.Length; i++)
            {
                var tone = EndToEnd.Speech.Tone(48000, tones[i]);
                sessions[i].Client.SendSignal(tone, paced: false);
                for (int f = 0; f < 25; f++)
                {
                    Assert.True(sessions[i].Server.WriteAudioFrame(tone.AsSpan(f * 960, 960)));
                }
            }

            for (int i = 0; i < tones.Length; i++)
            {
                var (server, client, got) = sessions[i];
                WaitFor(() => Count(got) >= 48000 && client.ReceivedSamples >= 24000, "audio of peer " + i);
                short[] up;
                lock (got)
                {
                    up = got.ToArray();
                }

                // Each server-side peer hears its own client's tone, and each client hears its own peer's.
                Assert.True(EndToEnd.Speech.ToneShare(up.AsSpan(9600), tones[i]) > 0.8, $"peer {i} upstream");
                Assert.True(EndToEnd.Speech.ToneShare(client.Received.AsSpan(4800), tones[i]) > 0.8, $"peer {i} downstream");
                foreach (var other in tones.Where(t => t != tones[i]))
                {
                    Assert.True(EndToEnd.Speech.ToneShare(up.AsSpan(9600), other) < 0.05, $"peer {i} hears {other} Hz");
                }
            }
        }
        finally
        {
            foreach (var (server, client, _) in sessions)
            {
                server.Dispose();
                client.Dispose();
            }
        }
    }

    [Fact]
    public void Aes_gcm_is_used_when_it_is_all_the_client_offers()
    {
        var (pc, client, got) = Connect(profiles: [SrtpProfile.AeadAes128Gcm]);
        using (pc)
        using (client)
        {
            Assert.Equal("AEAD_AES_128_GCM", pc.SrtpProfileName);
            Assert.Equal(SrtpProfile.AeadAes128Gcm, client.Profile);
            client.SendSignal(OpusTests.Chirp(9600), paced: false);
            WaitFor(() => Count(got) >= 9600, "GCM audio");
            Assert.Equal(0, pc.GetStats().SrtpAuthFailures);
        }
    }

    [Fact]
    public void A_client_certificate_that_does_not_match_the_offer_fingerprint_fails_the_handshake()
    {
        using var client = new LoopbackClient();
        var wrong = Dtls.RtcCertificate.Generate("someone-else").Fingerprint;
        using var pc = PeerConnection.CreateFromOffer(client.Offer(fingerprintOverride: wrong));
        Assert.ThrowsAny<Exception>(() => client.Connect(pc.LocalDescription));
        WaitFor(() => pc.State == PeerConnectionState.Failed, "Failed");
        Assert.Null(pc.SrtpProfileName);
        Assert.Contains("certificate does not match the SDP fingerprint", pc.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_that_passes_ice_but_never_starts_dtls_fails_after_the_handshake_timeout()
    {
        using var client = new LoopbackClient();
        using var pc = PeerConnection.CreateFromOffer(client.Offer(), new PeerConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        var answer = Sdp.SessionDescription.Parse(pc.LocalDescription).Media[0];
        var buf = new byte[256];
        string clientUfrag = client.Offer().Split("a=ice-ufrag:")[1].Split('\r')[0];
        int n = Ice.StunMessage.WriteBindingRequest(buf, new byte[12], $"{answer.IceUfrag}:{clientUfrag}", System.Text.Encoding.UTF8.GetBytes(answer.IcePassword!), true, 1);
        pc.Dispatch(buf.AsSpan(0, n), new IPEndPoint(IPAddress.Loopback, 40002).Serialize());
        Assert.Equal(PeerConnectionState.Connecting, pc.State);
        WaitFor(() => pc.State == PeerConnectionState.Failed, "Failed after the handshake timeout");
        Assert.StartsWith("DTLS handshake failed", pc.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_that_closes_dtls_is_gone_without_waiting_for_consent_expiry()
    {
        var (pc, client, _) = Connect();
        using (pc)
        {
            client.Dispose();   // sends close_notify
            WaitFor(() => pc.State == PeerConnectionState.Failed, "Failed after close_notify");
            Thread.Sleep(300);
            Assert.Equal(PeerConnectionState.Failed, pc.State);   // stays gone
            Assert.StartsWith("DTLS closed", pc.FailureReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Consent_expiry_declares_the_peer_gone()
    {
        var states = new List<PeerConnectionState>();
        bool Seen(PeerConnectionState s, int times)
        {
            lock (states)
            {
                return states.Count(x => x == s) >= times;
            }
        }

        var options = new PeerConnectionOptions { DisconnectedAfter = TimeSpan.FromMilliseconds(500), ConsentTimeout = TimeSpan.FromMilliseconds(3000) };
        var (pc, client, _) = Connect(options);
        using (pc)
        using (client)
        {
            pc.StateChanged += (_, s) =>
            {
                lock (states)
                {
                    states.Add(s);
                }
            };
            WaitFor(() => Seen(PeerConnectionState.Disconnected, 1), "Disconnected");
            client.SendStunCheck();   // consent comes back
            WaitFor(() => Seen(PeerConnectionState.Failed, 1), "Failed");
            lock (states)
            {
                Assert.Equal([PeerConnectionState.Disconnected, PeerConnectionState.Connected, PeerConnectionState.Disconnected, PeerConnectionState.Failed], states);
            }

            Assert.StartsWith("consent expired", pc.FailureReason, StringComparison.Ordinal);

            // A late check does not bring a failed peer back.
            long answered = pc.GetStats().StunAnswered;
            client.SendStunCheck();
            WaitFor(() => pc.GetStats().StunAnswered > answered, "the late check to be answered");
            Assert.Equal(PeerConnectionState.Failed, pc.State);
        }
    }

    [Fact]
    public void Bad_input_is_dropped_and_counted_and_the_session_keeps_working()
    {
        var (pc, client, got) = Connect();
        using (pc)
        using (client)
        using (var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var rng = new Random(1234);
            var tone = OpusTests.Chirp(960 * 4);

            // garbage of every first-byte class
            foreach (byte first in new byte[] { 0, 2, 5, 19, 22, 64, 100, 127, 128, 191, 200, 255 })
            {
                var g = new byte[rng.Next(1, 200)];
                rng.NextBytes(g);
                g[0] = first;
                client.SendRaw(g);
            }

            // STUN with the wrong username and with the wrong key (MESSAGE-INTEGRITY)
            client.SendStunCheck(usernameOverride: "nobody:nothing");
            client.SendStunCheck(keyOverride: "wrong-password-000000000"u8.ToArray());

            // DTLS and SRTP from an address that never passed an ICE check
            var srtp = client.SendFrame(tone.AsSpan(0, 960));
            stranger.SendTo(new byte[] { 22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, pc.LocalEndPoint);
            stranger.SendTo(srtp, pc.LocalEndPoint);

            // replayed SRTP, tampered SRTP, truncated RTP
            client.SendRaw(srtp);
            var tampered = client.SendFrame(tone.AsSpan(960, 960));
            tampered[^3] ^= 0x5A;
            tampered[2] = (byte)(tampered[2] + 1);   // new sequence so it is not just a replay
            client.SendRaw(tampered);
            client.SendRaw(new byte[] { 0x80, 0x6F, 0x00 });

            WaitFor(
                () =>
                {
                    var s = pc.GetStats();
                    return s.StunBadUsername >= 1 && s.StunBadIntegrity >= 1 && s.FromUnvalidatedAddress >= 2
                        && s.SrtpReplays >= 1 && s.SrtpAuthFailures >= 1;
                },
                "bad input to be counted");

            // The session still works afterwards.
            int before = Count(got);
            client.SendSignal(OpusTests.Chirp(960 * 10), paced: false);
            WaitFor(() => Count(got) >= before + (960 * 8), "audio after the bad input");
            var st = pc.GetStats();
            Assert.Equal(PeerConnectionState.Connected, pc.State);
            Assert.True(st.UnknownDatagrams + st.StunIgnored + st.SrtpAuthFailures + st.SrtpOtherFailures + st.RtpMalformed >= 10, st.ToString());
        }
    }

    [Fact]
    public void A_throwing_audio_handler_is_counted_and_does_not_stop_the_session()
    {
        var (pc, client, got) = Connect();
        using (pc)
        using (client)
        {
            int calls = 0;
            pc.AudioFrameReceived += _ =>
            {
                if (Interlocked.Increment(ref calls) % 2 == 0)
                {
                    throw new InvalidOperationException("handler bug");
                }
            };
            client.SendSignal(OpusTests.Chirp(960 * 20), paced: false);
            WaitFor(() => Count(got) >= 960 * 10 && pc.GetStats().InternalErrors >= 1, "frames and counted handler errors");
            Assert.Equal(PeerConnectionState.Connected, pc.State);
        }
    }

    [Fact]
    public void Undecodable_opus_is_counted_and_concealed()
    {
        var counters = new Counters();
        var key = new byte[30];
        using var tx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: false);
        using var rxCtx = new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, key, inbound: true);
        using var rx = new Rtp.AudioReceivePipeline(rxCtx, 111, 3, 10, counters);
        int frames = 0;
        rx.Handler = f => frames++;
        var packetizer = new Rtp.RtpPacketizer(111, 1, 10, 0);
        using var sender = new Rtp.AudioSendPipeline(tx, packetizer);
        var buf = new byte[Rtp.AudioSendPipeline.MaxPacket];
        int n = sender.Build(new short[960], buf);
        rx.OnSrtp(buf, n);

        // a valid SRTP packet whose payload is not Opus
        var bad = new byte[256];
        int len = packetizer.Write(bad, new byte[] { 0xFF, 0xFF, 0xFF }, 960);
        Assert.Equal(0, tx.Protect(bad, ref len));
        rx.OnSrtp(bad, len);

        // a wrong payload type is dropped before decoding
        var other = new byte[64];
        var p2 = new Rtp.RtpPacketizer(0, 1, 12, 0);
        int l2 = p2.Write(other, new byte[] { 1, 2, 3 }, 960);
        rx.OnRtp(other.AsSpan(0, l2));

        Assert.Equal(1, counters.OpusDecodeErrors);
        Assert.Equal(1, counters.ConcealedFrames);
        Assert.Equal(1, counters.RtpUnknownPayloadType);
        Assert.Equal(2, frames);
    }
}
