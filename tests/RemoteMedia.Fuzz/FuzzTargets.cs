using System.Net;
using System.Net.Sockets;
using System.Text;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Pipeline.Manifest;
using RemoteMedia.Server.Signaling;
using RemoteMedia.WebRtc;
using RemoteMedia.WebRtc.Ice;
using RemoteMedia.WebRtc.Rtp;
using RemoteMedia.WebRtc.Sdp;

namespace RemoteMedia.Fuzz;

/// <summary>One parser under test: it must return or throw its documented rejection, nothing else.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>
/// The parsers that take outside input, each wrapped so that the documented rejection (a typed exception or a
/// false/negative result) counts as success and anything else (IndexOutOfRange, NullReference, Overflow,
/// OutOfMemory, a hang) escapes as a crash. Shared by the AFL++ harness and the xunit mutation fuzzer.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Largest input a target is given (AFL++ is told the same).</summary>
    public const int MaxInput = 64 * 1024;

    private static readonly SocketAddress From = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();

    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["manifest"] = Manifest,
        ["wav"] = Wav,
        ["sdp"] = Sdp,
        ["stun"] = Stun,
        ["rtp"] = Rtp,
        ["signaling"] = SignalingMessage,
    };

    /// <summary>Pipeline manifest JSON (PipelineManifest.Parse): bad input is a RemoteMediaException.</summary>
    public static void Manifest(ReadOnlySpan<byte> input)
    {
        try
        {
            PipelineManifest.Parse(Encoding.UTF8.GetString(input));
        }
        catch (RemoteMediaException)
        {
        }
    }

    /// <summary>WAV reader: header, then every sample; bad input is a RemoteMediaException.</summary>
    public static void Wav(ReadOnlySpan<byte> input)
    {
        try
        {
            using var reader = WavReader.Open(new MemoryStream(input.ToArray(), writable: false));
            var buffer = new byte[4096 * Math.Max(1, reader.Format.BytesPerFrame)];
            long total = 0;
            int n;
            while ((n = reader.Read(buffer)) > 0)
            {
                total += n;
                if (total > input.Length * 2L + buffer.Length)
                {
                    throw new InvalidOperationException($"WAV reader produced {total} bytes from a {input.Length}-byte input");
                }
            }
        }
        catch (RemoteMediaException)
        {
        }
    }

    /// <summary>SDP offer: parse, plan the answer and write it; bad input is a WebRtcException.</summary>
    public static void Sdp(ReadOnlySpan<byte> input)
    {
        try
        {
            var offer = SessionDescription.Parse(Encoding.UTF8.GetString(input));
            var plan = AnswerBuilder.Plan(offer, acceptDataChannel: true);
            AnswerBuilder.Write(offer, plan, "ufrag123", "password0123456789abcdef", "AA:BB", new IPEndPoint(IPAddress.Loopback, 5000), 1, "fuzz", 7);
        }
        catch (WebRtcException)
        {
        }
    }

    /// <summary>STUN: the ICE-lite agent's whole request path plus every attribute reader; no exception is allowed.</summary>
    public static void Stun(ReadOnlySpan<byte> input)
    {
        var agent = new IceLiteAgent("fuzzufrg", "fuzzpassword0123456789ab", "remote");
        Span<byte> response = stackalloc byte[256];
        agent.Process(input, From, response, out int n);
        if (n > response.Length)
        {
            throw new InvalidOperationException("response overran its buffer");
        }

        if (StunMessage.IsStun(input))
        {
            foreach (ushort attr in (ushort[])[StunMessage.AttrUsername, StunMessage.AttrMessageIntegrity, StunMessage.AttrXorMappedAddress,
                StunMessage.AttrPriority, StunMessage.AttrUseCandidate, StunMessage.AttrFingerprint, StunMessage.AttrIceControlling])
            {
                if (StunMessage.FindAttribute(input, attr, out var value) >= 0 && attr == StunMessage.AttrXorMappedAddress && input.Length >= 20)
                {
                    StunMessage.ReadXorMappedAddress(value, input.Slice(8, 12));
                }
            }

            StunMessage.VerifyFingerprintIfPresent(input);
            StunMessage.VerifyMessageIntegrity(input, "fuzzpassword0123456789ab"u8);
        }
    }

    /// <summary>RTP header parse, RTCP compound read, and the jitter buffer fed with what parses; no exception is allowed.</summary>
    public static void Rtp(ReadOnlySpan<byte> input)
    {
        Rtcp.Read(input, new ReceptionStatistics());
        var jitter = new JitterBuffer(3);

        // The input may hold several packets, each prefixed with a 2-byte length: a stream through the jitter buffer.
        var rest = input;
        int packets = 0;
        while (rest.Length >= 2 && packets++ < 256)
        {
            int len = Math.Min(rest.Length - 2, (rest[0] << 8) | rest[1]);
            var packet = rest.Slice(2, len);
            rest = rest[(2 + len)..];
            if (RtpPacket.TryParse(packet, out var h))
            {
                if (h.PayloadOffset < 0 || h.PayloadLength < 0 || h.PayloadOffset + h.PayloadLength > packet.Length)
                {
                    throw new InvalidOperationException($"payload {h.PayloadOffset}+{h.PayloadLength} outside a {packet.Length}-byte packet");
                }

                jitter.Insert(h.SequenceNumber, packet.Slice(h.PayloadOffset, h.PayloadLength));
                while (jitter.TryPop(out _, out _) != JitterPop.None)
                {
                }
            }

            RtpPacket.IsRtcp(packet);
        }
    }

    /// <summary>A WebSocket signaling message: parse; a rejection is a null result with an error text, never an exception.</summary>
    public static void SignalingMessage(ReadOnlySpan<byte> input)
    {
        var message = SignalingMessages.TryParse(input, out var error);
        if ((message is null) == (error is null))
        {
            throw new InvalidOperationException("exactly one of message and error must be set");
        }
    }
}
