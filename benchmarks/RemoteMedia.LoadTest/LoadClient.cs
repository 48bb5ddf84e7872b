using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Tls;
using RemoteMedia.WebRtc;
using RemoteMedia.WebRtc.Dtls;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Sdp;
using RemoteMedia.WebRtc.Srtp;

namespace RemoteMedia.LoadTest;

/// <summary>
/// One headless caller, lean enough to run a hundred on the same two cores as the server: a full ICE agent on one
/// UDP socket (sends checks with USE-CANDIDATE and answers the server's checks, so both our ICE-lite server and
/// aiortc's full agent connect), the BouncyCastle DTLS client (the offer is actpass; both servers answer passive),
/// then pre-encoded Opus packets protected with libsrtp2, one per 20 ms tick. Received media is counted, not decoded.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly Lazy<RtcCertificate> SharedCertificate = new(() => RtcCertificate.Generate("load-client"));

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string ufrag = "ld" + RandomNumberGenerator.GetHexString(6);
    private readonly string password = RandomNumberGenerator.GetHexString(24);
    private readonly byte[] passwordBytes;
    private readonly ManualResetEventSlim connected = new();
    private readonly byte[] packet = new byte[1500];
    private readonly uint ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private QueuedDatagramTransport? dtlsChannel;
    private DtlsTransport? dtls;
    private Thread? receiveThread;
    private IPEndPoint? server;
    private string serverUfrag = string.Empty;
    private byte[] serverPassword = [];
    private SrtpContext? outbound;
    private RtpPacketizer? packetizer;
    private volatile bool disposed;
    private long lastCheck;

    public LoadClient()
    {
        passwordBytes = Encoding.UTF8.GetBytes(password);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 200;
        socket.ReceiveBufferSize = 1 << 20;
    }

    public long PacketsSent { get; private set; }

    public long PacketsReceived;

    public long SendErrors { get; private set; }

    private IPEndPoint Local => (IPEndPoint)socket.LocalEndPoint!;

    public string Offer() => string.Join("\r\n",
        "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0", "a=msid-semantic:WMS load",
        $"m=audio {Local.Port} UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=rtcp:9 IN IP4 0.0.0.0",
        $"a=candidate:1 1 udp 2130706431 127.0.0.1 {Local.Port} typ host", "a=end-of-candidates",
        $"a=ice-ufrag:{ufrag}", $"a=ice-pwd:{password}",
        $"a=fingerprint:sha-256 {SharedCertificate.Value.Fingerprint}", "a=setup:actpass",
        "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
        $"a=ssrc:{ssrc} cname:load{ufrag}", $"a=ssrc:{ssrc} msid:load audio{ufrag}", string.Empty);

    /// <summary>ICE (bounded), DTLS handshake (bounded, blocking) and the SRTP sender.</summary>
    public void Connect(string answerSdp)
    {
        var answer = SessionDescription.Parse(answerSdp);
        var m = answer.Media.First(x => x.Kind == "audio");
        var candidate = m.Candidates.FirstOrDefault(c => c.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase) && c.Address == "127.0.0.1")
            ?? m.Candidates.First();
        server = new IPEndPoint(IPAddress.Parse(candidate.Address), candidate.Port);
        serverUfrag = m.IceUfrag ?? answer.Media[0].IceUfrag!;
        serverPassword = Encoding.UTF8.GetBytes(m.IcePassword ?? answer.Media[0].IcePassword!);
        var fingerprint = m.Fingerprint ?? answer.Media[0].Fingerprint!;
        dtlsChannel = new QueuedDatagramTransport(d => socket.SendTo(d, SocketFlags.None, server));
        receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "load-rx" };
        receiveThread.Start();
        for (var i = 0; i < 50 && !connected.IsSet; i++)
        {
            SendCheck();
            connected.Wait(100);
        }
        if (!connected.IsSet)
        {
            throw new TimeoutException("no STUN answer from the server");
        }
        var client = new DtlsSrtpClient(SharedCertificate.Value, fingerprint, [SrtpProfile.Aes128CmHmacSha1_80]);
        dtls = new DtlsClientProtocol().Connect(client, dtlsChannel);
        var keys = client.Keys!;
        outbound = new SrtpContext(keys.Profile, keys.ClientMasterKey, inbound: false);
        packetizer = new RtpPacketizer(111, ssrc, (ushort)RandomNumberGenerator.GetInt32(0, 30000), (uint)RandomNumberGenerator.GetInt32(0, int.MaxValue));
        lastCheck = Environment.TickCount64;
    }

    /// <summary>Sends one pre-encoded 20 ms Opus packet; every 2 s also a consent check (the server expects them).</summary>
    public void Send(ReadOnlySpan<byte> opus)
    {
        var n = packetizer!.Write(packet, opus, 960);
        if (outbound!.Protect(packet, ref n) != 0)
        {
            SendErrors++;
            return;
        }
        try
        {
            socket.SendTo(packet.AsSpan(0, n), SocketFlags.None, server!);
            PacketsSent++;
        }
        catch (SocketException)
        {
            SendErrors++;
        }
        var now = Environment.TickCount64;
        if (now - lastCheck > 2000)
        {
            lastCheck = now;
            SendCheck();
        }
    }

    private void SendCheck()
    {
        Span<byte> buf = stackalloc byte[256];
        var n = StunMessage.WriteBindingRequest(buf, RandomNumberGenerator.GetBytes(12), $"{serverUfrag}:{ufrag}", serverPassword, true, 0x1234_5678_9abc_def0UL);
        try
        {
            socket.SendTo(buf[..n], SocketFlags.None, server!);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void ReceiveLoop()
    {
        var buf = new byte[2048];
        var reply = new byte[512];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!disposed)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buf, ref from);
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
            if (n >= 20 && d[0] <= 3 && StunMessage.IsStun(d))
            {
                var type = StunMessage.MessageType(d);
                if (type == StunMessage.BindingSuccess && StunMessage.VerifyMessageIntegrity(d, serverPassword))
                {
                    connected.Set();
                }
                else if (type == StunMessage.BindingRequest && StunMessage.VerifyMessageIntegrity(d, passwordBytes))
                {
                    // The peer's own connectivity check (aiortc is a full agent): answer it like a browser would.
                    var m = StunMessage.WriteBindingSuccess(reply, d.Slice(8, 12), ((IPEndPoint)from).Serialize(), passwordBytes);
                    try
                    {
                        socket.SendTo(reply.AsSpan(0, m), SocketFlags.None, from);
                    }
                    catch (SocketException)
                    {
                    }
                }
            }
            else if (d[0] is >= 20 and <= 63)
            {
                dtlsChannel!.Post(d);
            }
            else if (d[0] is >= 128 and <= 191)
            {
                Interlocked.Increment(ref PacketsReceived);
            }
        }
    }

    public void Dispose()
    {
        disposed = true;
        try
        {
            dtls?.Close();
        }
        catch (Exception e) when (e is IOException or TlsException or SocketException or ObjectDisposedException)
        {
        }
        dtlsChannel?.Close();
        socket.Dispose();
        receiveThread?.Join(2000);
        outbound?.Dispose();
        connected.Dispose();
    }
}
