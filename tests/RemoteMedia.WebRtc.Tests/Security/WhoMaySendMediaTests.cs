using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Sdp;

namespace RemoteMedia.WebRtc.Tests.Security;

/// <summary>
/// Only the peer that passed ICE with our credentials and DTLS with the fingerprint of its offer can put audio
/// into its session. Each test attacks a connected loopback call and checks that the attack is dropped, counted,
/// and that the call's own audio is exactly what the legitimate client sent.
/// </summary>
public class WhoMaySendMediaTests
{
    private const int Frames = 50;

    internal sealed class Call : IDisposable
    {
        private readonly List<short> got = [];

        internal Call(PeerConnectionOptions? options = null)
        {
            Client = new LoopbackClient();
            Peer = PeerConnection.CreateFromOffer(Client.Offer(), options);
            Peer.AudioFrameReceived += frame =>
            {
                lock (got)
                {
                    got.AddRange(frame);
                }
            };
            Client.Connect(Peer.LocalDescription);
            LoopbackTests.WaitFor(() => Peer.State == PeerConnectionState.Connected, "Connected");
        }

        internal LoopbackClient Client { get; }

        internal PeerConnection Peer { get; }

        internal string ClientUfrag => SessionDescription.Parse(Client.Offer()).Media[0].IceUfrag!;

        internal string ClientPassword => SessionDescription.Parse(Client.Offer()).Media[0].IcePassword!;

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

        internal short[] Received
        {
            get
            {
                lock (got)
                {
                    return got.ToArray();
                }
            }
        }

        public void Dispose()
        {
            Peer.Dispose();
            Client.Dispose();
        }
    }

    private static Socket Stranger()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    /// <summary>The legitimate audio arrived complete, in order, undamaged and unconcealed.</summary>
    private static void AssertCallAudioUntouched(Call call, short[] sent, int frames)
    {
        LoopbackTests.WaitFor(() => call.ReceivedSamples >= frames * 960, $"{frames} frames of call audio");
        var s = call.Peer.GetStats();
        Assert.Equal(frames, s.RtpPackets);
        Assert.Equal(frames, s.AudioFramesReceived);
        Assert.Equal(0, s.ConcealedFrames);
        Assert.Equal(0, s.JitterLost);
        Assert.Equal(0, s.OpusDecodeErrors);
        Assert.Equal(frames * 960, call.ReceivedSamples);
        double c = Signal.MaxNormalizedCrossCorrelation(sent[..(frames * 960)], call.Received, 2000, out int lag);
        Assert.True(c > 0.9, $"call audio correlation {c:F3} (lag {lag})");
        Assert.Equal(PeerConnectionState.Connected, call.Peer.State);
    }

    [Fact]
    public void A_second_socket_spraying_srtp_is_dropped_and_counted_and_the_call_audio_is_untouched()
    {
        using var call = new Call();
        using var stranger = Stranger();
        var chirp = OpusTests.Chirp(Frames * 960);
        var rng = new Random(4242);
        int sprayed = 0;

        // Interleave: each legitimate packet is followed by the stranger sending (1) an exact copy of it, (2) a forged
        // packet with the same SSRC, payload type and the next sequence numbers and a random auth tag, (3) a DTLS record.
        for (int f = 0; f < Frames; f++)
        {
            var legit = call.Client.SendFrame(chirp.AsSpan(f * 960, 960));
            stranger.SendTo(legit, call.Peer.LocalEndPoint);
            var forged = (byte[])legit.Clone();
            forged[3] = (byte)(forged[3] + 1);
            rng.NextBytes(forged.AsSpan(12));
            stranger.SendTo(forged, call.Peer.LocalEndPoint);
            stranger.SendTo(new byte[] { 23, 254, 253, 0, 1, 0, 0, 0, 0, 0, (byte)f, 0, 4, 1, 2, 3, 4 }, call.Peer.LocalEndPoint);
            sprayed += 3;
            Thread.Sleep(2);
        }

        LoopbackTests.WaitFor(() => call.Peer.GetStats().FromUnvalidatedAddress == sprayed, $"{sprayed} stranger datagrams counted");
        AssertCallAudioUntouched(call, chirp, Frames);
        var s = call.Peer.GetStats();
        Assert.Equal(0, s.SrtpAuthFailures);   // nothing of the stranger even reached SRTP
        Assert.Equal(0, s.SrtpReplays);
        Assert.Equal(sprayed, s.FromUnvalidatedAddress);
    }

    [Fact]
    public void A_replayed_dtls_handshake_from_another_address_or_the_peer_itself_changes_nothing()
    {
        using var call = new Call();
        using var stranger = Stranger();
        byte[][] handshake;
        lock (call.Client.SentDtls)
        {
            handshake = call.Client.SentDtls.ToArray();
        }

        Assert.NotEmpty(handshake);
        string profile = call.Peer.SrtpProfileName!;
        long dtlsBefore = call.Peer.GetStats().DtlsRecords;

        // From a stranger: dropped before DTLS sees it.
        foreach (var d in handshake)
        {
            stranger.SendTo(d, call.Peer.LocalEndPoint);
        }

        LoopbackTests.WaitFor(() => call.Peer.GetStats().FromUnvalidatedAddress == handshake.Length, "replayed records from the stranger counted");

        // From the validated peer address itself (an on-path replay): DTLS sees old epoch-0 records and ignores them.
        foreach (var d in handshake)
        {
            call.Client.SendRaw(d);
        }

        LoopbackTests.WaitFor(() => call.Peer.GetStats().DtlsRecords == dtlsBefore + handshake.Length, "replayed records from the peer address seen");

        // The session keeps its keys: the legitimate client's audio still decrypts and plays.
        var chirp = OpusTests.Chirp(Frames * 960);
        call.Client.SendSignal(chirp, paced: false);
        AssertCallAudioUntouched(call, chirp, Frames);
        Assert.Equal(profile, call.Peer.SrtpProfileName);
        Assert.Equal(0, call.Peer.GetStats().SrtpAuthFailures);
    }

    [Fact]
    public void A_stun_check_with_another_sessions_credentials_does_not_open_the_door()
    {
        using var a = new Call();
        using var b = new Call();
        using var stranger = Stranger();
        var buf = new byte[256];

        void Check(Call target, string username, string key)
        {
            int n = StunMessage.WriteBindingRequest(buf, RandomNumberGenerator.GetBytes(12), username, Encoding.UTF8.GetBytes(key), true, 1);
            stranger.SendTo(buf.AsSpan(0, n), target.Peer.LocalEndPoint);
        }

        long answeredBefore = a.Peer.GetStats().StunAnswered;

        // B's complete, valid credentials, sent to A's port.
        Check(a, $"{b.Peer.LocalUfrag}:{b.ClientUfrag}", b.Peer.LocalPassword);

        // A's server ufrag (it is in A's answer) with B's client ufrag, signed with B's password.
        Check(a, $"{a.Peer.LocalUfrag}:{b.ClientUfrag}", b.Peer.LocalPassword);

        // A's exact username (both ufrags sniffed), signed with B's password or with A's client password.
        Check(a, $"{a.Peer.LocalUfrag}:{a.ClientUfrag}", b.Peer.LocalPassword);
        Check(a, $"{a.Peer.LocalUfrag}:{a.ClientUfrag}", a.ClientPassword);

        LoopbackTests.WaitFor(
            () =>
            {
                var s = a.Peer.GetStats();
                return s.StunBadUsername == 2 && s.StunBadIntegrity == 2;
            },
            "the four checks rejected");
        Assert.Equal(answeredBefore, a.Peer.GetStats().StunAnswered);

        // The stranger's address is still not validated: its SRTP (a copy of B's client packet) is dropped unseen.
        var chirp = OpusTests.Chirp(Frames * 960);
        var fromB = b.Client.SendFrame(chirp.AsSpan(0, 960));
        stranger.SendTo(fromB, a.Peer.LocalEndPoint);
        LoopbackTests.WaitFor(() => a.Peer.GetStats().FromUnvalidatedAddress == 1, "the stranger's SRTP dropped");

        // A's own call is untouched.
        a.Client.SendSignal(chirp, paced: false);
        AssertCallAudioUntouched(a, chirp, Frames);
        Assert.Equal(0, a.Peer.GetStats().SrtpAuthFailures);
    }

    [Fact]
    public void Authenticated_rtp_with_a_foreign_ssrc_is_dropped_and_counted()
    {
        using var call = new Call();
        var chirp = OpusTests.Chirp(Frames * 960);
        var noise = new short[960];
        new Random(7).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(noise.AsSpan()));

        // A second stream under the same keys (a second SSRC), with sequence numbers that collide with ours.
        using var intruder = new AudioSendPipeline(call.Client.OutboundSrtp!, new RtpPacketizer(111, 0xBAD5EED, 101, 5000));
        var packet = new byte[AudioSendPipeline.MaxPacket];
        for (int f = 0; f < Frames; f++)
        {
            call.Client.SendFrame(chirp.AsSpan(f * 960, 960));
            int n = intruder.Build(noise, packet);
            call.Client.SendRaw(packet.AsSpan(0, n));
        }

        // Wait until all 100 authenticated packets were handled, then check the call's audio before the counter.
        LoopbackTests.WaitFor(() => call.Peer.GetStats() is var s && s.RtpPackets + s.RtpForeignSsrc >= 2 * Frames, "all packets handled");
        AssertCallAudioUntouched(call, chirp, Frames);
        Assert.Equal(0, call.Peer.GetStats().JitterDuplicates);
        Assert.Equal(Frames, call.Peer.GetStats().RtpForeignSsrc);
    }
}
