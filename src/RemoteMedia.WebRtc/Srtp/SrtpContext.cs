using RemoteMedia.WebRtc.Interop;

namespace RemoteMedia.WebRtc.Srtp;

/// <summary>The DTLS-SRTP protection profiles we negotiate (RFC 5764, RFC 7714).</summary>
internal enum SrtpProfile
{
    Aes128CmHmacSha1_80 = 1,
    AeadAes128Gcm = 7,
}

internal static class SrtpProfileInfo
{
    internal static int KeyLength(SrtpProfile p) => 16;

    internal static int SaltLength(SrtpProfile p) => p == SrtpProfile.AeadAes128Gcm ? 12 : 14;

    /// <summary>Bytes of keying material to export: client key, server key, client salt, server salt.</summary>
    internal static int KeyingMaterialLength(SrtpProfile p) => 2 * (KeyLength(p) + SaltLength(p));

    /// <summary>Splits exported keying material into one side's master key || master salt.</summary>
    internal static byte[] MasterKey(SrtpProfile p, ReadOnlySpan<byte> keying, bool client)
    {
        int k = KeyLength(p), s = SaltLength(p);
        var master = new byte[k + s];
        keying.Slice(client ? 0 : k, k).CopyTo(master);
        keying.Slice((2 * k) + (client ? 0 : s), s).CopyTo(master.AsSpan(k));
        return master;
    }
}

/// <summary>One direction of SRTP/SRTCP (inbound or outbound) over a libsrtp2 session.</summary>
internal sealed unsafe class SrtpContext : IDisposable
{
    private readonly SafeSrtpSessionHandle session;

    internal SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKeyAndSalt, bool inbound, int replayWindow = 1024)
    {
        SrtpNative.EnsureInitialized();
        int expected = SrtpProfileInfo.KeyLength(profile) + SrtpProfileInfo.SaltLength(profile);
        if (masterKeyAndSalt.Length != expected)
        {
            throw new ArgumentException($"master key+salt must be {expected} bytes", nameof(masterKeyAndSalt));
        }

        SrtpPolicy policy = default;
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            SrtpNative.srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.Rtp);
            SrtpNative.srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.Rtcp);
        }
        else
        {
            SrtpNative.srtp_crypto_policy_set_rtp_default(&policy.Rtp);
            SrtpNative.srtp_crypto_policy_set_rtcp_default(&policy.Rtcp);
        }

        policy.SsrcType = inbound ? SrtpNative.SsrcAnyInbound : SrtpNative.SsrcAnyOutbound;
        policy.WindowSize = (nuint)replayWindow;
        int status;
        fixed (byte* key = masterKeyAndSalt)
        {
            policy.Key = key;
            status = SrtpNative.srtp_create(out session, &policy);
        }

        if (status != SrtpNative.ErrOk || session.IsInvalid)
        {
            session.Dispose();
            throw new WebRtcException(WebRtcError.Srtp, $"srtp_create failed with status {status}");
        }

        NativeHandleCounter.Created();
    }

    /// <summary>Encrypts the RTP packet held in the first <paramref name="length"/> bytes of <paramref name="buffer"/> in place.</summary>
    /// <returns>The libsrtp2 status; 0 means <paramref name="length"/> now holds the SRTP length.</returns>
    internal int Protect(Span<byte> buffer, ref int length) => Grow(&SrtpNative.srtp_protect, buffer, ref length);

    /// <summary>Decrypts and authenticates in place; returns the libsrtp2 status (7 auth failure, 9/10 replay).</summary>
    internal int Unprotect(Span<byte> buffer, ref int length) => Shrink(&SrtpNative.srtp_unprotect, buffer, ref length, 12);

    internal int ProtectRtcp(Span<byte> buffer, ref int length) => Grow(&SrtpNative.srtp_protect_rtcp, buffer, ref length);

    internal int UnprotectRtcp(Span<byte> buffer, ref int length) => Shrink(&SrtpNative.srtp_unprotect_rtcp, buffer, ref length, 8);

    private int Grow(delegate*<SafeSrtpSessionHandle, byte*, int*, int> op, Span<byte> buffer, ref int length)
    {
        if (buffer.Length < length + SrtpNative.MaxTrailer)
        {
            throw new ArgumentException("buffer needs room for the SRTP/SRTCP trailer", nameof(buffer));
        }

        return Call(op, buffer, ref length);
    }

    private int Shrink(delegate*<SafeSrtpSessionHandle, byte*, int*, int> op, Span<byte> buffer, ref int length, int minimum) =>
        length < minimum || length > buffer.Length ? -1 : Call(op, buffer, ref length);

    private int Call(delegate*<SafeSrtpSessionHandle, byte*, int*, int> op, Span<byte> buffer, ref int length)
    {
        fixed (byte* b = buffer)
        fixed (int* l = &length)
        {
            return op(session, b, l);
        }
    }

    public void Dispose() => session.Dispose();
}
