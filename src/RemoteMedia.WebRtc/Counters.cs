namespace RemoteMedia.WebRtc;

/// <summary>The mutable counters behind <see cref="PeerConnectionStats"/>; incremented with Interlocked, read as a snapshot.</summary>
internal sealed class Counters
{
#pragma warning disable SA1401, CA1051 // fields so Interlocked can take them by ref
    internal long StunAnswered;
    internal long StunBadUsername;
    internal long StunBadIntegrity;
    internal long StunBadFingerprint;
    internal long StunIgnored;
    internal long DtlsRecords;
    internal long FromUnvalidatedAddress;
    internal long UnknownDatagrams;
    internal long RtpPackets;
    internal long RtcpPackets;
    internal long SrtpAuthFailures;
    internal long SrtpReplays;
    internal long SrtpOtherFailures;
    internal long RtpMalformed;
    internal long RtpUnknownPayloadType;
    internal long RtpForeignSsrc;
    internal long OpusDecodeErrors;
    internal long ConcealedFrames;
    internal long FecRecoveredFrames;
    internal long AudioFramesReceived;
    internal long AudioFramesSent;
    internal long SendQueueOverflows;
    internal long RtcpSent;
    internal long DataChannelMessagesReceived;
    internal long DataChannelMessagesSent;
    internal long DataChannelErrors;
    internal long InternalErrors;
#pragma warning restore SA1401, CA1051

    internal static void Inc(ref long counter) => Interlocked.Increment(ref counter);

    internal PeerConnectionStats Snapshot(Rtp.JitterBuffer? jitter) => new()
    {
        StunAnswered = Interlocked.Read(ref StunAnswered),
        StunBadUsername = Interlocked.Read(ref StunBadUsername),
        StunBadIntegrity = Interlocked.Read(ref StunBadIntegrity),
        StunBadFingerprint = Interlocked.Read(ref StunBadFingerprint),
        StunIgnored = Interlocked.Read(ref StunIgnored),
        DtlsRecords = Interlocked.Read(ref DtlsRecords),
        FromUnvalidatedAddress = Interlocked.Read(ref FromUnvalidatedAddress),
        UnknownDatagrams = Interlocked.Read(ref UnknownDatagrams),
        RtpPackets = Interlocked.Read(ref RtpPackets),
        RtcpPackets = Interlocked.Read(ref RtcpPackets),
        SrtpAuthFailures = Interlocked.Read(ref SrtpAuthFailures),
        SrtpReplays = Interlocked.Read(ref SrtpReplays),
        SrtpOtherFailures = Interlocked.Read(ref SrtpOtherFailures),
        RtpMalformed = Interlocked.Read(ref RtpMalformed),
        RtpUnknownPayloadType = Interlocked.Read(ref RtpUnknownPayloadType),
        RtpForeignSsrc = Interlocked.Read(ref RtpForeignSsrc),
        OpusDecodeErrors = Interlocked.Read(ref OpusDecodeErrors),
        JitterDuplicates = jitter?.Duplicates ?? 0,
        JitterLate = jitter?.Late ?? 0,
        JitterLost = jitter?.Lost ?? 0,
        JitterArrivedAfterGivenUp = jitter?.ArrivedAfterGivenUp ?? 0,
        JitterDepth = jitter?.Depth ?? 0,
        ConcealedFrames = Interlocked.Read(ref ConcealedFrames),
        FecRecoveredFrames = Interlocked.Read(ref FecRecoveredFrames),
        AudioFramesReceived = Interlocked.Read(ref AudioFramesReceived),
        AudioFramesSent = Interlocked.Read(ref AudioFramesSent),
        SendQueueOverflows = Interlocked.Read(ref SendQueueOverflows),
        RtcpSent = Interlocked.Read(ref RtcpSent),
        DataChannelMessagesReceived = Interlocked.Read(ref DataChannelMessagesReceived),
        DataChannelMessagesSent = Interlocked.Read(ref DataChannelMessagesSent),
        DataChannelErrors = Interlocked.Read(ref DataChannelErrors),
        InternalErrors = Interlocked.Read(ref InternalErrors),
    };
}
