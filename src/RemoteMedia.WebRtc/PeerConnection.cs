using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using RemoteMedia.WebRtc.Codecs;
using RemoteMedia.WebRtc.Dtls;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Interop;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Sctp;
using RemoteMedia.WebRtc.Sdp;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc;

/// <summary>
/// One WebRTC peer, answering a remote offer: ICE-lite on one UDP socket, DTLS-SRTP (we are the DTLS server),
/// Opus audio both ways. Incoming audio arrives as 20 ms frames through <see cref="AudioFrameReceived"/>;
/// outgoing audio is queued with <see cref="WriteAudioFrame"/> and paced out in real time.
/// </summary>
public sealed class PeerConnection : IDisposable
{
    private readonly PeerConnectionOptions options;
    private readonly Socket socket;
    private readonly IceLiteAgent ice;
    private readonly OfferPlan plan;
    private readonly RtcCertificate certificate;
    private readonly Counters counters = new();
    private readonly QueuedDatagramTransport dtlsChannel;
    private readonly Thread receiveThread;
    private readonly RtpPacketizer packetizer;
    private readonly object sendGate = new();
    private readonly short[] sendQueue;
    private readonly short[] sendFrame = new short[OpusEncoder.FrameSamples];
    private readonly byte[] sendPacket = new byte[AudioSendPipeline.MaxPacket];
    private readonly byte[] stunResponse = new byte[256];
    private readonly long rtcpIntervalTicks;
    private int sendHead;
    private int sendCount;
    private long lastRtcpTicks;
    private Thread? dtlsThread;
    private DtlsTransport? dtls;
    private volatile AudioReceivePipeline? receivePipeline;
    private volatile AudioSendPipeline? sendPipeline;
    private SrtpContext? inboundSrtp;
    private SrtpContext? outboundSrtp;
    private readonly Lock dtlsSendGate = new();
    private readonly EarlyPackets early = new();
    private volatile DataChannelManager? dataChannels;
    private volatile bool disposed;
    private int state = (int)PeerConnectionState.New;

    private PeerConnection(SessionDescription offer, OfferPlan plan, PeerConnectionOptions options)
    {
        // Checked here, not when the media starts after DTLS: a bad setting fails the offer, not a connected call.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.JitterDepthPackets, 1, nameof(options.JitterDepthPackets));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.JitterDepthPackets, 32, nameof(options.JitterDepthPackets));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.JitterMaxDepthPackets, 32, nameof(options.JitterMaxDepthPackets));
        this.options = options;
        this.plan = plan;
        certificate = options.Certificate ?? RtcCertificate.Generate();
        ice = new IceLiteAgent(IceLiteAgent.NewUfrag(), IceLiteAgent.NewPassword(), plan.RemoteUfrag);
        socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(options.BindAddress, options.Port));
            socket.ReceiveTimeout = 100;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            uint ssrc = RandomUInt32();
            packetizer = new RtpPacketizer((byte)plan.OpusPayloadType, ssrc, (ushort)RandomUInt32(), RandomUInt32());
            LocalDescription = AnswerBuilder.Write(
                offer, plan, ice.LocalUfrag, ice.LocalPassword, certificate.Fingerprint, LocalEndPoint, ssrc, "remotemedia",
                ((ulong)RandomUInt32() << 31) | RandomUInt32(), options.CandidateAddresses);
            sendQueue = new short[Math.Max(1, options.SendQueueFrames) * OpusEncoder.FrameSamples];
            rtcpIntervalTicks = (long)(options.RtcpInterval.TotalSeconds * Stopwatch.Frequency);
            dtlsChannel = new QueuedDatagramTransport(SendToPeer);
            SrtpNative.EnsureInitialized();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "RemoteMedia.WebRtc receive " + LocalEndPoint.Port };
        receiveThread.Start();
        AudioPacer.Register(this);
    }

    /// <summary>Raised on the receive thread for every 20 ms frame of decoded audio (mono, 48 kHz, 960 samples).</summary>
    public event AudioFrameHandler? AudioFrameReceived;

    /// <summary>A data channel opened: one the peer created, or one of ours that the peer acknowledged. Raised on a transport thread.</summary>
    public event EventHandler<DataChannel>? DataChannelOpened;

    /// <summary>Raised on the thread that saw the change; keep handlers short.</summary>
    public event EventHandler<PeerConnectionState>? StateChanged;

    /// <summary>The SDP answer to send back to the offerer.</summary>
    public string LocalDescription { get; }

    /// <summary>The UDP endpoint this peer listens on.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Our DTLS certificate fingerprint (as in the answer).</summary>
    public string LocalFingerprint => certificate.Fingerprint;

    public PeerConnectionState State => (PeerConnectionState)Volatile.Read(ref state);

    /// <summary>Why the state became <see cref="PeerConnectionState.Failed"/> (null before that).</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The negotiated SRTP protection profile name, once connected.</summary>
    public string? SrtpProfileName { get; private set; }

    internal string LocalUfrag => ice.LocalUfrag;

    internal string LocalPassword => ice.LocalPassword;

    internal JitterBuffer? Jitter => receivePipeline?.Jitter;

    /// <summary>Parses <paramref name="offerSdp"/>, binds the socket and prepares the answer (<see cref="LocalDescription"/>).</summary>
    /// <exception cref="WebRtcException">The offer cannot be used (InvalidSdp), or a native library is missing.</exception>
    public static PeerConnection CreateFromOffer(string offerSdp, PeerConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        var offer = SessionDescription.Parse(offerSdp);
        options ??= new PeerConnectionOptions();
        NativeLibraries.EnsureMediaLibraries();
        if ((options.CandidateAddresses is null || options.CandidateAddresses.Count == 0)
            && (options.BindAddress.Equals(IPAddress.Any) || options.BindAddress.Equals(IPAddress.IPv6Any)))
        {
            throw new ArgumentException("binding a wildcard address needs CandidateAddresses to advertise", nameof(options));
        }

        var plan = AnswerBuilder.Plan(offer, acceptDataChannel: options.EnableDataChannels && SctpAssociation.IsAvailable);
        return new PeerConnection(offer, plan, options);
    }

    /// <summary>True when the answer accepted the offer's data-channel section.</summary>
    public bool DataChannelsNegotiated => plan.DataChannel is not null;

    /// <summary>Opens a data channel of ours (ordered, reliable); <see cref="DataChannelOpened"/> fires when the peer acknowledges it.</summary>
    /// <exception cref="WebRtcException">InvalidState: no data channels were negotiated, or the peer is not connected yet.</exception>
    public DataChannel CreateDataChannel(string label, string protocol = "")
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(protocol);
        ObjectDisposedException.ThrowIf(disposed, this);
        var manager = dataChannels ?? throw new WebRtcException(
            WebRtcError.InvalidState,
            plan.DataChannel is null ? "the offer had no data-channel section (or libusrsctp is missing)" : "not connected yet: wait for State == Connected");
        return manager.Create(label, protocol);
    }

    /// <summary>A snapshot of the counters.</summary>
    public PeerConnectionStats GetStats() => counters.Snapshot(receivePipeline?.Jitter);

    /// <summary>
    /// Queues one 20 ms frame (960 mono samples at 48 kHz) for sending; the pacer sends one frame every 20 ms.
    /// Returns false (and counts an overflow) when the queue is full. Frames written before the peer connects wait in the queue.
    /// </summary>
    public bool WriteAudioFrame(ReadOnlySpan<short> frame)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (frame.Length != OpusEncoder.FrameSamples)
        {
            throw new ArgumentException($"a frame is {OpusEncoder.FrameSamples} samples (20 ms at 48 kHz), got {frame.Length}", nameof(frame));
        }

        lock (sendGate)
        {
            int capacity = sendQueue.Length / OpusEncoder.FrameSamples;
            if (sendCount == capacity)
            {
                Counters.Inc(ref counters.SendQueueOverflows);
                return false;
            }

            int slot = (sendHead + sendCount) % capacity;
            frame.CopyTo(sendQueue.AsSpan(slot * OpusEncoder.FrameSamples, OpusEncoder.FrameSamples));
            sendCount++;
            return true;
        }
    }

    /// <summary>Frames queued and not yet sent.</summary>
    public int QueuedAudioFrames
    {
        get
        {
            lock (sendGate)
            {
                return sendCount;
            }
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        AudioPacer.Unregister(this);
        dataChannels?.Dispose();
        try
        {
            dtls?.Close();
        }
        catch (Exception e) when (e is IOException or TlsException or ObjectDisposedException or SocketException)
        {
            // The peer may be gone already; closing is best effort.
        }

        dtlsChannel.Close();
        socket.Dispose();
        receiveThread.Join(TimeSpan.FromSeconds(2));
        dtlsThread?.Join(TimeSpan.FromSeconds(2));
        receivePipeline?.Dispose();
        sendPipeline?.Dispose();
        inboundSrtp?.Dispose();
        outboundSrtp?.Dispose();
        dtlsChannel.Dispose();
        SetState(PeerConnectionState.Closed);
    }

    /// <summary>Called by <see cref="AudioPacer"/> every 20 ms.</summary>
    internal void PaceTick()
    {
        var pipeline = sendPipeline;
        var remote = ice.SelectedRemote;
        if (disposed || pipeline is null || remote is null || State != PeerConnectionState.Connected)
        {
            return;
        }

        bool have;
        lock (sendGate)
        {
            have = sendCount > 0;
            if (have)
            {
                sendQueue.AsSpan(sendHead * OpusEncoder.FrameSamples, OpusEncoder.FrameSamples).CopyTo(sendFrame);
                sendHead = (sendHead + 1) % (sendQueue.Length / OpusEncoder.FrameSamples);
                sendCount--;
            }
        }

        if (have)
        {
            int len = pipeline.Build(sendFrame, sendPacket);
            SendToPeer(sendPacket.AsSpan(0, len));
            Counters.Inc(ref counters.AudioFramesSent);
        }
        else if (pipeline.Packetizer.PacketsSent > 0)
        {
            pipeline.Packetizer.Pause(OpusEncoder.FrameSamples);
        }

        long now = Stopwatch.GetTimestamp();
        if (now - lastRtcpTicks >= rtcpIntervalTicks)
        {
            lastRtcpTicks = now;
            SendRtcpReport();
        }
    }

    internal void OnPacerError() => Counters.Inc(ref counters.InternalErrors);

    /// <summary>Handles one datagram as the receive loop does (also the entry point of the bad-input tests).</summary>
    internal void Dispatch(Span<byte> datagram, SocketAddress from)
    {
        if (datagram.IsEmpty)
        {
            Counters.Inc(ref counters.UnknownDatagrams);
            return;
        }

        byte b0 = datagram[0];
        if (b0 <= 3)
        {
            OnStun(datagram, from);
        }
        else if (b0 is >= 20 and <= 63)
        {
            if (!ice.IsValidated(from))
            {
                Counters.Inc(ref counters.FromUnvalidatedAddress);
                return;
            }

            Counters.Inc(ref counters.DtlsRecords);
            dtlsChannel.Post(datagram);
        }
        else if (b0 is >= 128 and <= 191)
        {
            if (!ice.IsValidated(from))
            {
                Counters.Inc(ref counters.FromUnvalidatedAddress);
                return;
            }

            OnSrtpOrSrtcp(datagram);
        }
        else
        {
            Counters.Inc(ref counters.UnknownDatagrams);
        }
    }

    private void OnStun(Span<byte> datagram, SocketAddress from)
    {
        var verdict = ice.Process(datagram, from, stunResponse, out int n);
        switch (verdict)
        {
            case StunVerdict.Answered:
                Counters.Inc(ref counters.StunAnswered);
                SendTo(stunResponse.AsSpan(0, n), from);
                if (State == PeerConnectionState.New)
                {
                    SetState(PeerConnectionState.Connecting);
                    StartDtls();
                }
                else if (State == PeerConnectionState.Disconnected)
                {
                    SetState(PeerConnectionState.Connected);
                }

                break;
            case StunVerdict.BadUsername: Counters.Inc(ref counters.StunBadUsername); break;
            case StunVerdict.BadIntegrity: Counters.Inc(ref counters.StunBadIntegrity); break;
            case StunVerdict.BadFingerprint: Counters.Inc(ref counters.StunBadFingerprint); break;
            default: Counters.Inc(ref counters.StunIgnored); break;
        }
    }

    private void OnSrtpOrSrtcp(Span<byte> datagram)
    {
        if (RtpPacket.IsRtcp(datagram))
        {
            var inbound = inboundSrtp;
            int len = datagram.Length;
            if (inbound is null || receivePipeline is null)
            {
                Counters.Inc(ref counters.SrtpOtherFailures);
                return;
            }

            int status = inbound.UnprotectRtcp(datagram, ref len);
            if (status != SrtpNative.ErrOk)
            {
                Counters.Inc(ref status == SrtpNative.ErrAuthFail ? ref counters.SrtpAuthFailures
                    : ref (status is SrtpNative.ErrReplayFail or SrtpNative.ErrReplayOld ? ref counters.SrtpReplays : ref counters.SrtpOtherFailures));
                return;
            }

            Counters.Inc(ref counters.RtcpPackets);
            Rtcp.Read(datagram[..len], receivePipeline.Reception);
            return;
        }

        var pipeline = receivePipeline;
        if (pipeline is null)
        {
            // Media can overtake the end of our handshake: keep a few packets until the keys are in place.
            if (!early.TryStash(datagram))
            {
                Counters.Inc(ref counters.SrtpOtherFailures);
            }

            return;
        }

        early.Drain(pipeline);
        pipeline.OnSrtp(datagram, datagram.Length);
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(socket.AddressFamily);
        while (!disposed)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionReset)
            {
                // 100 ms without a datagram: don't hold packets behind a gap any longer, and check consent.
                receivePipeline?.Flush();
                CheckConsent();
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                break;
            }

            try
            {
                Dispatch(buffer.AsSpan(0, n), from);
            }
#pragma warning disable CA1031 // one datagram (or a throwing event handler) must never stop the session or the process
            catch (Exception)
#pragma warning restore CA1031
            {
                Counters.Inc(ref counters.InternalErrors);
            }

            CheckConsent();
        }
    }

    private void CheckConsent()
    {
        var s = State;
        if (s is not (PeerConnectionState.Connected or PeerConnectionState.Disconnected))
        {
            return;
        }

        long silentMs = Environment.TickCount64 - ice.LastConsentTicks;
        if (silentMs > options.ConsentTimeout.TotalMilliseconds)
        {
            FailureReason ??= $"consent expired: no ICE check for {silentMs} ms";
            SetState(PeerConnectionState.Failed);
        }
        else if (s == PeerConnectionState.Connected && silentMs > options.DisconnectedAfter.TotalMilliseconds)
        {
            SetState(PeerConnectionState.Disconnected);
        }
    }

    private void StartDtls()
    {
        dtlsThread = new Thread(DtlsLoop) { IsBackground = true, Name = "RemoteMedia.WebRtc dtls " + LocalEndPoint.Port };
        dtlsThread.Start();
    }

    private void DtlsLoop()
    {
        try
        {
            SrtpProfile[] profiles = options.AllowAesGcm
                ? [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm]
                : [SrtpProfile.Aes128CmHmacSha1_80];
            var server = new DtlsSrtpServer(certificate, plan.RemoteFingerprint, profiles, (int)options.HandshakeTimeout.TotalMilliseconds);
            dtls = new DtlsServerProtocol().Accept(server, dtlsChannel);
            var keys = server.Keys!;
            inboundSrtp = new SrtpContext(keys.Profile, keys.ClientMasterKey, inbound: true);
            outboundSrtp = new SrtpContext(keys.Profile, keys.ServerMasterKey, inbound: false);
            var rx = new AudioReceivePipeline(inboundSrtp, plan.OpusPayloadType, options.JitterDepthPackets, Math.Max(options.JitterDepthPackets, options.JitterMaxDepthPackets), counters);
            rx.Handler = OnAudioFrame;
            receivePipeline = rx;
            sendPipeline = new AudioSendPipeline(outboundSrtp, packetizer, options.OpusFecLossPercent);
            SrtpProfileName = keys.Profile == SrtpProfile.AeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";
            if (plan.DataChannel is not null)
            {
                dataChannels = new DataChannelManager(SendDtls, isDtlsClient: false, (ushort)(plan.DataChannel.SctpPort ?? DataChannelManager.SctpPort), counters)
                {
                    ChannelOpened = c => DataChannelOpened?.Invoke(this, c),
                };
            }

            if (disposed)
            {
                return;
            }

            SetState(PeerConnectionState.Connected);
            var buffer = new byte[16 * 1024];
            while (!disposed)
            {
                int n = dtls.Receive(buffer, 0, buffer.Length, 250);
                if (n > 0)
                {
                    OnDtlsApplicationData(buffer.AsSpan(0, n));
                }
            }
        }
#pragma warning disable CA1031 // a thread of ours must end in a state change, never in an unhandled exception
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!disposed)
            {
                FailureReason ??= State == PeerConnectionState.Connecting
                    ? "DTLS handshake failed: " + Describe(e)
                    : "DTLS closed: " + Describe(e);
                SetState(PeerConnectionState.Failed);
            }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        TlsFatalAlertReceived r => $"the peer sent alert {AlertDescription.GetText(r.AlertDescription)}",
        TlsFatalAlert a => $"alert {AlertDescription.GetText(a.AlertDescription)}" + (a.AlertDescription == AlertDescription.bad_certificate ? " (certificate does not match the SDP fingerprint)" : string.Empty),
        TlsTimeoutException => "timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private void OnDtlsApplicationData(ReadOnlySpan<byte> data)
    {
        var manager = dataChannels;
        if (manager is null)
        {
            Counters.Inc(ref counters.UnknownDatagrams);
            return;
        }

        manager.Input(data);
    }

    private void SendDtls(ReadOnlySpan<byte> data)
    {
        var transport = dtls;
        if (transport is null || disposed)
        {
            return;
        }

        try
        {
            lock (dtlsSendGate)
            {
                transport.Send(data);
            }
        }
        catch (Exception e) when (e is IOException or TlsException or ObjectDisposedException or SocketException)
        {
            // Lost like any datagram; SCTP retransmits.
        }
    }

    private void OnAudioFrame(ReadOnlySpan<short> frame) => AudioFrameReceived?.Invoke(frame);

    private void SendRtcpReport()
    {
        var rx = receivePipeline;
        int len = Rtcp.WriteReport(sendPacket, packetizer.Ssrc, packetizer, packetizer.NextTimestamp, rx?.Reception);
        if (outboundSrtp is null || outboundSrtp.ProtectRtcp(sendPacket, ref len) != SrtpNative.ErrOk)
        {
            return;
        }

        SendToPeer(sendPacket.AsSpan(0, len));
        Counters.Inc(ref counters.RtcpSent);
    }

    private void SendToPeer(ReadOnlySpan<byte> datagram)
    {
        var remote = ice.SelectedRemote;
        if (remote is not null)
        {
            SendTo(datagram, remote);
        }
    }

    private void SendTo(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // UDP: a failed send is a lost packet.
        }
    }

    private void SetState(PeerConnectionState next)
    {
        while (true)
        {
            int prev = Volatile.Read(ref state);
            if (prev == (int)next || prev == (int)PeerConnectionState.Closed)
            {
                return;   // no change, and nothing leaves Closed
            }

            if (Interlocked.CompareExchange(ref state, (int)next, prev) == prev)
            {
                break;
            }
        }

        StateChanged?.Invoke(this, next);
    }

    private static uint RandomUInt32()
    {
        Span<byte> b = stackalloc byte[4];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt32(b);
    }

    /// <summary>SRTP that arrived between the peer's last handshake flight and our key installation (receive thread only).</summary>
    private sealed class EarlyPackets
    {
        private const int Capacity = 16;
        private byte[][]? slots;
        private readonly int[] lengths = new int[Capacity];
        private int count;
        private bool closed;

        internal bool TryStash(ReadOnlySpan<byte> datagram)
        {
            if (closed || count == Capacity || datagram.Length > 1500)
            {
                return false;
            }

            slots ??= Enumerable.Range(0, Capacity).Select(_ => new byte[1500]).ToArray();
            datagram.CopyTo(slots[count]);
            lengths[count++] = datagram.Length;
            return true;
        }

        internal void Drain(AudioReceivePipeline pipeline)
        {
            if (closed)
            {
                return;
            }

            closed = true;
            for (int i = 0; i < count; i++)
            {
                pipeline.OnSrtp(slots![i], lengths[i]);
            }

            count = 0;
            slots = null;
        }
    }
}
