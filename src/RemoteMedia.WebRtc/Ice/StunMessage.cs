using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RemoteMedia.WebRtc.Ice;

/// <summary>STUN (RFC 8489) parsing and writing on spans: the subset ICE-lite needs.</summary>
internal static class StunMessage
{
    internal const int HeaderLength = 20;
    internal const uint MagicCookie = 0x2112A442;
    internal const ushort BindingRequest = 0x0001;
    internal const ushort BindingSuccess = 0x0101;

    internal const ushort AttrUsername = 0x0006;
    internal const ushort AttrMessageIntegrity = 0x0008;
    internal const ushort AttrXorMappedAddress = 0x0020;
    internal const ushort AttrPriority = 0x0024;
    internal const ushort AttrUseCandidate = 0x0025;
    internal const ushort AttrSoftware = 0x8022;
    internal const ushort AttrFingerprint = 0x8028;
    internal const ushort AttrIceControlled = 0x8029;
    internal const ushort AttrIceControlling = 0x802A;

    private const uint FingerprintXor = 0x5354554E;

    /// <summary>True when the datagram looks like a STUN message: header, cookie, length consistent.</summary>
    internal static bool IsStun(ReadOnlySpan<byte> m) =>
        m.Length >= HeaderLength
        && (m[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(m[4..]) == MagicCookie
        && BinaryPrimitives.ReadUInt16BigEndian(m[2..]) == m.Length - HeaderLength
        && (m.Length & 3) == 0;

    internal static ushort MessageType(ReadOnlySpan<byte> m) => BinaryPrimitives.ReadUInt16BigEndian(m);

    /// <summary>Finds attribute <paramref name="type"/>; returns its offset (of the TLV header) or -1. Malformed TLVs give -1.</summary>
    internal static int FindAttribute(ReadOnlySpan<byte> m, ushort type, out ReadOnlySpan<byte> value)
    {
        value = default;
        int p = HeaderLength;
        while (p + 4 <= m.Length)
        {
            ushort t = BinaryPrimitives.ReadUInt16BigEndian(m[p..]);
            int len = BinaryPrimitives.ReadUInt16BigEndian(m[(p + 2)..]);
            if (p + 4 + len > m.Length)
            {
                return -1;
            }

            if (t == type)
            {
                value = m.Slice(p + 4, len);
                return p;
            }

            p += 4 + ((len + 3) & ~3);
        }

        return -1;
    }

    /// <summary>Checks MESSAGE-INTEGRITY (HMAC-SHA1 keyed with the short-term password). No allocation.</summary>
    internal static bool VerifyMessageIntegrity(ReadOnlySpan<byte> m, ReadOnlySpan<byte> key)
    {
        int at = FindAttribute(m, AttrMessageIntegrity, out var mac);
        if (at < 0 || mac.Length != 20)
        {
            return false;
        }

        // The HMAC covers the message up to MESSAGE-INTEGRITY, with the length field counting up to its end.
        Span<byte> header = stackalloc byte[HeaderLength];
        m[..HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(at + 24 - HeaderLength));
        Span<byte> expected = stackalloc byte[20];
        using (var h = IncrementalHashPool.Rent(key))
        {
            h.Hash.AppendData(header);
            h.Hash.AppendData(m[HeaderLength..at]);
            h.Hash.GetHashAndReset(expected);
        }

        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    /// <summary>Checks FINGERPRINT when present (it must be last); absent returns true.</summary>
    internal static bool VerifyFingerprintIfPresent(ReadOnlySpan<byte> m)
    {
        int at = FindAttribute(m, AttrFingerprint, out var v);
        if (at < 0)
        {
            return true;
        }

        return v.Length == 4 && at + 8 == m.Length
            && BinaryPrimitives.ReadUInt32BigEndian(v) == (Crc32.Compute(m[..at]) ^ FingerprintXor);
    }

    /// <summary>Writes a Binding success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT.</summary>
    internal static int WriteBindingSuccess(Span<byte> dst, ReadOnlySpan<byte> transactionId, SocketAddress mapped, ReadOnlySpan<byte> key)
    {
        WriteHeader(dst, BindingSuccess, transactionId);
        int p = HeaderLength;
        p += WriteXorMappedAddress(dst[p..], mapped, transactionId);
        p = AppendIntegrityAndFingerprint(dst, p, key);
        return p;
    }

    /// <summary>Writes an ICE connectivity check (the controlling agent's Binding request).</summary>
    internal static int WriteBindingRequest(
        Span<byte> dst, ReadOnlySpan<byte> transactionId, string username, ReadOnlySpan<byte> key, bool useCandidate, ulong tieBreaker)
    {
        WriteHeader(dst, BindingRequest, transactionId);
        int p = HeaderLength;
        int ulen = System.Text.Encoding.UTF8.GetBytes(username, dst[(p + 4)..]);
        p += WriteTlvHeader(dst[p..], AttrUsername, ulen, padTo4: true);
        p += WriteTlvHeader(dst[p..], AttrPriority, 4);
        BinaryPrimitives.WriteUInt32BigEndian(dst[(p - 4)..], 0x6E0001FF);
        p += WriteTlvHeader(dst[p..], AttrIceControlling, 8);
        BinaryPrimitives.WriteUInt64BigEndian(dst[(p - 8)..], tieBreaker);
        if (useCandidate)
        {
            p += WriteTlvHeader(dst[p..], AttrUseCandidate, 0);
        }

        return AppendIntegrityAndFingerprint(dst, p, key);
    }

    internal static int AppendIntegrityAndFingerprint(Span<byte> dst, int p, ReadOnlySpan<byte> key)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)(p + 24 - HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(dst[p..], AttrMessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(dst[(p + 2)..], 20);
        using (var h = IncrementalHashPool.Rent(key))
        {
            h.Hash.AppendData(dst[..p]);
            h.Hash.GetHashAndReset(dst.Slice(p + 4, 20));
        }
        p += 24;
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)(p + 8 - HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(dst[p..], AttrFingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(dst[(p + 2)..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(dst[(p + 4)..], Crc32.Compute(dst[..p]) ^ FingerprintXor);
        return p + 8;
    }

    /// <summary>Decodes an XOR-MAPPED-ADDRESS value (IPv4 or IPv6).</summary>
    internal static IPEndPoint? ReadXorMappedAddress(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId)
    {
        if (value.Length < 8)
        {
            return null;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(MagicCookie >> 16);
        int family = value[1];
        int alen = family == 1 ? 4 : family == 2 ? 16 : 0;
        if (alen == 0 || value.Length < 4 + alen)
        {
            return null;
        }

        Span<byte> addr = stackalloc byte[alen];
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (int i = 0; i < alen; i++)
        {
            addr[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        return new IPEndPoint(new IPAddress(addr), port);
    }

    private static int WriteXorMappedAddress(Span<byte> dst, SocketAddress address, ReadOnlySpan<byte> transactionId)
    {
        var raw = address.Buffer.Span;
        bool v6 = address.Family == AddressFamily.InterNetworkV6;
        int alen = v6 ? 16 : 4;
        int p = WriteTlvHeader(dst, AttrXorMappedAddress, 4 + alen);
        var v = dst.Slice(4, 4 + alen);
        v[0] = 0;
        v[1] = (byte)(v6 ? 2 : 1);

        // sockaddr_in / sockaddr_in6: port at 2..3 (network order), address at 4 (v4) or 8 (v6).
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], (ushort)(port ^ (MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        transactionId.CopyTo(mask[4..]);
        var a = raw.Slice(v6 ? 8 : 4, alen);
        for (int i = 0; i < alen; i++)
        {
            v[4 + i] = (byte)(a[i] ^ mask[i]);
        }

        return p;
    }

    private static void WriteHeader(Span<byte> dst, ushort type, ReadOnlySpan<byte> transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dst, type);
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(dst[4..], MagicCookie);
        transactionId[..12].CopyTo(dst[8..]);
    }

    /// <summary>Writes a TLV header for a value already in place (or to be written); returns total TLV size with padding.</summary>
    private static int WriteTlvHeader(Span<byte> dst, ushort type, int length, bool padTo4 = true)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dst, type);
        BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)length);
        int padded = padTo4 ? (length + 3) & ~3 : length;
        dst.Slice(4 + length, padded - length).Clear();
        return 4 + padded;
    }
}

/// <summary>A per-thread HMAC-SHA1 keyed instance, reused while the key stays the same.</summary>
internal readonly struct IncrementalHashPool : IDisposable
{
    [ThreadStatic]
    private static IncrementalHash? cached;

    [ThreadStatic]
    private static byte[]? cachedKey;

    private IncrementalHashPool(IncrementalHash hash) => Hash = hash;

    internal IncrementalHash Hash { get; }

    internal static IncrementalHashPool Rent(ReadOnlySpan<byte> key)
    {
        if (cached is null || cachedKey is null || !key.SequenceEqual(cachedKey))
        {
            cached?.Dispose();
            cachedKey = key.ToArray();
            cached = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, cachedKey);
        }

        return new IncrementalHashPool(cached);
    }

    public void Dispose() { }
}

/// <summary>CRC-32 (IEEE 802.3), as STUN FINGERPRINT uses.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    internal static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            t[n] = c;
        }

        return t;
    }
}
