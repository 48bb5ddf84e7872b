using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Tls;
using RemoteMedia.WebRtc.Dtls;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Sctp;
using RemoteMedia.WebRtc.Sdp;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.WebRtc.Tests;

/// <summary>
/// Our own browser stand-in on 127.0.0.1: sends ICE checks, runs the BouncyCastle DTLS client, and sends and
/// receives Opus over SRTP with the library's own pipelines (with the client's keys).
/// </summary>
internal sealed class LoopbackClient : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly RtcCertificate certificate = RtcCertificate.Generate("client");
    private readonly string ufrag = "cli" + RandomNumberGenerator.GetHexString(4);
    private readonly string password = RandomNumberGenerator.GetHexString(24);
    private readonly Counters counters = new();
    private readonly ManualResetEventSlim stunAnswered = new();
    private readonly List<short> received = [];
    private readonly byte[] packet = new byte[AudioSendPipeline.MaxPacket];
    private QueuedDatagramTransport? dtlsChannel;
    private Thread? receiveThread;
    private volatile bool disposed;
    private IPEndPoint? server;
    private string serverUfrag = string.Empty;
    private byte[] serverPassword = [];
    private AudioReceivePipeline? rx;
    private AudioSendPipeline? tx;
    private DtlsTransport? dtls;
    private readonly Lock dtlsSendGate = new();
    private Thread? dtlsReader;
    private SrtpContext? inbound;
    private SrtpContext? outbound;

    internal LoopbackClient()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 100;
    }

    internal IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    internal long StunResponses { get; private set; }

    internal int ReceivedSamples
    {
        get
        {
            lock (received)
            {
                return received.Count;
            }
        }
    }

    internal short[] Received
    {
        get
        {
            lock (received)
            {
                return received.ToArray();
            }
        }
    }

    internal SrtpProfile? Profile { get; private set; }

    internal DataChannelManager? DataChannels { get; private set; }

    internal string Offer(string? fingerprintOverride = null, int payloadType = 111, bool dataChannel = false) => string.Join("\r\n",
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", dataChannel ? "a=group:BUNDLE 0 1" : "a=group:BUNDLE 0",
        $"m=audio {LocalEndPoint.Port} UDP/TLS/RTP/SAVPF {payloadType}", "c=IN IP4 127.0.0.1",
        "a=mid:0", "a=sendrecv", "a=rtcp-mux", $"a=ice-ufrag:{ufrag}", $"a=ice-pwd:{password}",
        $"a=fingerprint:sha-256 {fingerprintOverride ?? certificate.Fingerprint}", "a=setup:actpass",
        $"a=rtpmap:{payloadType} opus/48000/2",
        $"a=candidate:1 1 udp 2130706431 127.0.0.1 {LocalEndPoint.Port} typ host",
        dataChannel ? string.Join("\r\n",
            $"m=application {LocalEndPoint.Port} UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 127.0.0.1", "a=mid:1",
            $"a=ice-ufrag:{ufrag}", $"a=ice-pwd:{password}", $"a=fingerprint:sha-256 {fingerprintOverride ?? certificate.Fingerprint}",
            "a=setup:actpass", "a=sctp-port:5000") + "\r\n" : string.Empty);

    /// <summary>ICE check, then the DTLS handshake (blocking, bounded), then SRTP and the audio pipelines.</summary>
    internal void Connect(string answerSdp, SrtpProfile[]? profiles = null, int payloadType = 111)
    {
        var answer = SessionDescription.Parse(answerSdp);
        var m = answer.Media[0];
        server = new IPEndPoint(IPAddress.Parse(m.Candidates[0].Address), m.Candidates[0].Port);
        serverUfrag = m.IceUfrag!;
        serverPassword = Encoding.UTF8.GetBytes(m.IcePassword!);
        dtlsChannel = new QueuedDatagramTransport(d =>
        {
            lock (SentDtls)
            {
                SentDtls.Add(d.ToArray());
            }

            socket.SendTo(d, SocketFlags.None, server);
        });
        receiveThread = new Thread(ReceiveLoop) { IsBackground = true };
        receiveThread.Start();
        for (int i = 0; i < 25 && !stunAnswered.IsSet; i++)
        {
            SendStunCheck();
            stunAnswered.Wait(200);
        }

        if (!stunAnswered.IsSet)
        {
            throw new TimeoutException("no STUN answer from the server");
        }

        var client = new DtlsSrtpClient(certificate, m.Fingerprint!, profiles ?? [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm]);
        dtls = new DtlsClientProtocol().Connect(client, dtlsChannel);
        var keys = client.Keys!;
        Profile = keys.Profile;
        inbound = new SrtpContext(keys.Profile, keys.ServerMasterKey, inbound: true);
        outbound = new SrtpContext(keys.Profile, keys.ClientMasterKey, inbound: false);
        rx = new AudioReceivePipeline(inbound, payloadType, 3, 10, counters) { Handler = OnFrame };
        tx = new AudioSendPipeline(outbound, new RtpPacketizer((byte)payloadType, 0x1234, 100, 5000));
        if (answer.Media.Any(x => x.IsDataChannel && x.Port != 0))
        {
            DataChannels = new DataChannelManager(SendDtls, isDtlsClient: true, 5000, counters);
            dtlsReader = new Thread(DtlsReadLoop) { IsBackground = true };
            dtlsReader.Start();
        }
    }

    internal Counters Counters => counters;

    /// <summary>Every DTLS datagram this client sent (the handshake flights first), for replay tests.</summary>
    internal List<byte[]> SentDtls { get; } = [];

    /// <summary>The client's outbound SRTP context (after <see cref="Connect"/>), for tests that build their own packets.</summary>
    internal SrtpContext? OutboundSrtp => outbound;

    private void SendDtls(ReadOnlySpan<byte> data)
    {
        lock (dtlsSendGate)
        {
            try
            {
                dtls?.Send(data);
            }
            catch (Exception e) when (e is IOException or TlsException or ObjectDisposedException)
            {
            }
        }
    }

    private void DtlsReadLoop()
    {
        var buf = new byte[16384];
        try
        {
            while (!disposed)
            {
                int n = dtls!.Receive(buf, 0, buf.Length, 100);
                if (n > 0)
                {
                    DataChannels?.Input(buf.AsSpan(0, n));
                }
            }
        }
        catch (Exception e) when (e is IOException or TlsException or ObjectDisposedException)
        {
        }
    }

    internal void SendStunCheck(string? usernameOverride = null, byte[]? keyOverride = null)
    {
        var buf = new byte[256];
        int n = StunMessage.WriteBindingRequest(
            buf, RandomNumberGenerator.GetBytes(12), usernameOverride ?? $"{serverUfrag}:{ufrag}", keyOverride ?? serverPassword, true, 1);
        SendRaw(buf.AsSpan(0, n));
    }

    internal void SendRaw(ReadOnlySpan<byte> datagram) => socket.SendTo(datagram, SocketFlags.None, server!);

    /// <summary>Encodes, protects and sends one frame; returns a copy of the SRTP packet.</summary>
    internal byte[] SendFrame(ReadOnlySpan<short> frame)
    {
        int n = tx!.Build(frame, packet);
        SendRaw(packet.AsSpan(0, n));
        return packet.AsSpan(0, n).ToArray();
    }

    internal void SendSignal(short[] pcm, bool paced)
    {
        for (int f = 0; f + 960 <= pcm.Length; f += 960)
        {
            SendFrame(pcm.AsSpan(f, 960));
            if (paced)
            {
                Thread.Sleep(20);
            }
        }
    }

    internal void SendDtlsApplicationData(byte[] data) => dtls!.Send(data, 0, data.Length);

    public void Dispose()
    {
        disposed = true;
        DataChannels?.Dispose();
        try
        {
            dtls?.Close();
        }
        catch (Exception e) when (e is IOException or TlsException or SocketException)
        {
        }

        dtlsChannel?.Close();
        socket.Dispose();
        receiveThread?.Join(2000);
        dtlsReader?.Join(2000);
        rx?.Dispose();
        tx?.Dispose();
        inbound?.Dispose();
        outbound?.Dispose();
        stunAnswered.Dispose();
    }

    private void OnFrame(ReadOnlySpan<short> frame)
    {
        lock (received)
        {
            received.AddRange(frame);
        }
    }

    private void ReceiveLoop()
    {
        var buf = new byte[2048];
        while (!disposed)
        {
            int n;
            try
            {
                n = socket.Receive(buf);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var d = buf.AsSpan(0, n);
            if (n >= 20 && d[0] <= 3)
            {
                if (StunMessage.IsStun(d) && StunMessage.MessageType(d) == StunMessage.BindingSuccess
                    && StunMessage.VerifyMessageIntegrity(d, serverPassword) && StunMessage.VerifyFingerprintIfPresent(d))
                {
                    StunResponses++;
                    stunAnswered.Set();
                }
            }
            else if (d[0] is >= 20 and <= 63)
            {
                dtlsChannel!.Post(d);
            }
            else if (d[0] is >= 128 and <= 191 && !RtpPacket.IsRtcp(d))
            {
                rx?.OnSrtp(d, n);
            }
        }
    }
}
