using System.Net;
using RemoteMedia.WebRtc.Dtls;

namespace RemoteMedia.WebRtc;

/// <summary>Settings of a <see cref="PeerConnection"/>. The defaults suit a browser on the same host or LAN.</summary>
public sealed class PeerConnectionOptions
{
    /// <summary>Address the peer's UDP socket binds to and advertises as its host candidate.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Addresses advertised as host candidates (same port). Null: the bind address, which then must not be a wildcard.
    /// Use this when binding 0.0.0.0 on a machine with several interfaces.
    /// </summary>
    public IReadOnlyList<IPAddress>? CandidateAddresses { get; init; }

    /// <summary>UDP port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Certificate for DTLS; a fresh one is generated per peer when null (a few milliseconds).</summary>
    public RtcCertificate? Certificate { get; init; }

    /// <summary>No consent check for this long: the state becomes <see cref="PeerConnectionState.Disconnected"/>.</summary>
    public TimeSpan DisconnectedAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No consent check for this long: the peer is gone, the state becomes <see cref="PeerConnectionState.Failed"/> (RFC 7675: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time the DTLS handshake may take once ICE has checked the peer.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Packets that must arrive past a gap before the missing one is declared lost (20 ms each), at least.</summary>
    public int JitterDepthPackets { get; init; } = 3;

    /// <summary>
    /// The most the jitter buffer deepens to (20 ms each) when packets keep arriving after their gap was concealed
    /// (it shrinks back after 30 s without that). At most 32; at or below <see cref="JitterDepthPackets"/>, the depth is fixed.
    /// </summary>
    public int JitterMaxDepthPackets { get; init; } = 10;

    /// <summary>20 ms frames the outgoing queue holds before <see cref="PeerConnection.WriteAudioFrame"/> refuses more.</summary>
    public int SendQueueFrames { get; init; } = 50;

    /// <summary>Offer AEAD_AES_128_GCM as well as AES128_CM_HMAC_SHA1_80 (which is preferred).</summary>
    public bool AllowAesGcm { get; init; } = true;

    /// <summary>Accept the offer's data-channel section (SCTP over DTLS through libusrsctp). Without libusrsctp it is rejected.</summary>
    public bool EnableDataChannels { get; init; } = true;

    /// <summary>
    /// Expected loss (percent) our Opus encoder protects against with in-band FEC; 0 turns FEC off (the default:
    /// best quality on a clean network). Above 0 the encoder also switches to the VoIP application mode.
    /// </summary>
    public int OpusFecLossPercent { get; init; }

    /// <summary>Interval of our RTCP sender/receiver reports.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The life of a peer connection.</summary>
public enum PeerConnectionState
{
    /// <summary>Answer written; waiting for the first ICE check.</summary>
    New,

    /// <summary>ICE check passed; DTLS handshake under way.</summary>
    Connecting,

    /// <summary>DTLS done, SRTP keys in place: media flows.</summary>
    Connected,

    /// <summary>Consent checks stopped for a while; may come back.</summary>
    Disconnected,

    /// <summary>The peer is gone: the handshake failed, consent expired, or the peer closed DTLS (close_notify).</summary>
    Failed,

    /// <summary>Disposed.</summary>
    Closed,
}
