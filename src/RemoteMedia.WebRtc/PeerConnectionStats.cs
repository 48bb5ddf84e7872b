namespace RemoteMedia.WebRtc;

/// <summary>Counters of one peer connection: what arrived, what was sent, and every kind of input that was dropped.</summary>
public readonly record struct PeerConnectionStats
{
    public long StunAnswered { get; init; }

    public long StunBadUsername { get; init; }

    public long StunBadIntegrity { get; init; }

    public long StunBadFingerprint { get; init; }

    /// <summary>STUN that is not a Binding request (responses, indications) or does not parse.</summary>
    public long StunIgnored { get; init; }

    public long DtlsRecords { get; init; }

    /// <summary>DTLS or SRTP datagrams from an address that has not passed an ICE check.</summary>
    public long FromUnvalidatedAddress { get; init; }

    /// <summary>Datagrams that are neither STUN, DTLS nor RTP/RTCP.</summary>
    public long UnknownDatagrams { get; init; }

    public long RtpPackets { get; init; }

    public long RtcpPackets { get; init; }

    public long SrtpAuthFailures { get; init; }

    public long SrtpReplays { get; init; }

    /// <summary>SRTP before keys exist, and other unprotect errors.</summary>
    public long SrtpOtherFailures { get; init; }

    public long RtpMalformed { get; init; }

    public long RtpUnknownPayloadType { get; init; }

    /// <summary>Authenticated RTP whose SSRC is not the stream's (the first SSRC that arrived owns the session).</summary>
    public long RtpForeignSsrc { get; init; }

    public long OpusDecodeErrors { get; init; }

    public long JitterDuplicates { get; init; }

    public long JitterLate { get; init; }

    public long JitterLost { get; init; }

    /// <summary>Packets that arrived after their gap had been concealed (counted in <see cref="JitterLate"/> too).</summary>
    public long JitterArrivedAfterGivenUp { get; init; }

    /// <summary>The jitter buffer's current depth in 20 ms packets (it adapts; see PeerConnectionOptions.JitterMaxDepthPackets).</summary>
    public int JitterDepth { get; init; }

    /// <summary>20 ms frames of PLC output (lost packets and undecodable ones).</summary>
    public long ConcealedFrames { get; init; }

    /// <summary>
    /// Lost packets decoded from the next packet's Opus in-band FEC (next packet SILK or hybrid; libopus conceals when it
    /// carries no FEC data). Not also counted in <see cref="ConcealedFrames"/>.
    /// </summary>
    public long FecRecoveredFrames { get; init; }

    public long AudioFramesReceived { get; init; }

    public long AudioFramesSent { get; init; }

    /// <summary>Outgoing frames dropped because the send queue was full.</summary>
    public long SendQueueOverflows { get; init; }

    public long RtcpSent { get; init; }

    public long DataChannelMessagesReceived { get; init; }

    public long DataChannelMessagesSent { get; init; }

    /// <summary>Exceptions caught on our threads (including ones thrown by event handlers); the session carries on.</summary>
    public long InternalErrors { get; init; }

    /// <summary>Malformed DCEP messages, unknown PPIDs, messages on unknown or closed streams.</summary>
    public long DataChannelErrors { get; init; }
}
