using System.Runtime.InteropServices;

namespace RemoteMedia.WebRtc.Interop;

/// <summary>srtp_crypto_policy_t (libsrtp 2.x).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SrtpCryptoPolicy
{
    public int CipherType;
    public int CipherKeyLength;
    public int AuthType;
    public int AuthKeyLength;
    public int AuthTagLength;
    public int SecurityServices;
}

/// <summary>srtp_policy_t (libsrtp 2.x, 128 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SrtpPolicy
{
    public int SsrcType;
    public uint SsrcValue;
    public SrtpCryptoPolicy Rtp;
    public SrtpCryptoPolicy Rtcp;
    public byte* Key;
    public nint Keys;
    public nuint NumMasterKeys;
    public nint DeprecatedEkt;
    public nuint WindowSize;
    public int AllowRepeatTx;
    public nint EncXtnHdr;
    public int EncXtnHdrCount;
    public nint Next;
}

/// <summary>Raw libsrtp2 entry points (Debian package libsrtp2-1).</summary>
internal static unsafe partial class SrtpNative
{
    internal const string Library = "libsrtp2.so.1";

    internal const int ErrOk = 0;
    internal const int ErrAuthFail = 7;
    internal const int ErrReplayFail = 9;
    internal const int ErrReplayOld = 10;
    internal const int SsrcAnyInbound = 2;
    internal const int SsrcAnyOutbound = 3;

    /// <summary>Largest trailer srtp_protect/srtp_protect_rtcp may append (SRTP_MAX_TRAILER_LEN).</summary>
    internal const int MaxTrailer = 16 + 128 + 4;

    internal static readonly string[] ExportNames =
    [
        "srtp_init", "srtp_get_version_string", "srtp_crypto_policy_set_rtp_default",
        "srtp_crypto_policy_set_rtcp_default", "srtp_crypto_policy_set_aes_gcm_128_16_auth",
        "srtp_create", "srtp_protect", "srtp_unprotect", "srtp_protect_rtcp", "srtp_unprotect_rtcp", "srtp_dealloc",
    ];

    // srtp_err_status_t srtp_init(void);
    [LibraryImport(Library, EntryPoint = "srtp_init")]
    internal static partial int srtp_init();

    // const char *srtp_get_version_string(void);
    [LibraryImport(Library, EntryPoint = "srtp_get_version_string")]
    internal static partial nint srtp_get_version_string();

    // void srtp_crypto_policy_set_rtp_default(srtp_crypto_policy_t *p);
    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_rtp_default")]
    internal static partial void srtp_crypto_policy_set_rtp_default(SrtpCryptoPolicy* p);

    // void srtp_crypto_policy_set_rtcp_default(srtp_crypto_policy_t *p);
    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_rtcp_default")]
    internal static partial void srtp_crypto_policy_set_rtcp_default(SrtpCryptoPolicy* p);

    // void srtp_crypto_policy_set_aes_gcm_128_16_auth(srtp_crypto_policy_t *p);
    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_aes_gcm_128_16_auth")]
    internal static partial void srtp_crypto_policy_set_aes_gcm_128_16_auth(SrtpCryptoPolicy* p);

    // srtp_err_status_t srtp_create(srtp_t *session, const srtp_policy_t *policy);
    [LibraryImport(Library, EntryPoint = "srtp_create")]
    internal static partial int srtp_create(out SafeSrtpSessionHandle session, SrtpPolicy* policy);

    // srtp_err_status_t srtp_protect(srtp_t ctx, void *rtp_hdr, int *len_ptr);
    [LibraryImport(Library, EntryPoint = "srtp_protect")]
    internal static partial int srtp_protect(SafeSrtpSessionHandle ctx, byte* rtp, int* length);

    // srtp_err_status_t srtp_unprotect(srtp_t ctx, void *srtp_hdr, int *len_ptr);
    [LibraryImport(Library, EntryPoint = "srtp_unprotect")]
    internal static partial int srtp_unprotect(SafeSrtpSessionHandle ctx, byte* srtp, int* length);

    // srtp_err_status_t srtp_protect_rtcp(srtp_t ctx, void *rtcp_hdr, int *pkt_octet_len);
    [LibraryImport(Library, EntryPoint = "srtp_protect_rtcp")]
    internal static partial int srtp_protect_rtcp(SafeSrtpSessionHandle ctx, byte* rtcp, int* length);

    // srtp_err_status_t srtp_unprotect_rtcp(srtp_t ctx, void *srtcp_hdr, int *pkt_octet_len);
    [LibraryImport(Library, EntryPoint = "srtp_unprotect_rtcp")]
    internal static partial int srtp_unprotect_rtcp(SafeSrtpSessionHandle ctx, byte* srtcp, int* length);

    // srtp_err_status_t srtp_dealloc(srtp_t s);
    [LibraryImport(Library, EntryPoint = "srtp_dealloc")]
    internal static partial int srtp_dealloc(nint session);

    private static readonly Lazy<int> InitStatus = new(srtp_init, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs srtp_init once per process; throws when it fails.</summary>
    internal static void EnsureInitialized()
    {
        int status = InitStatus.Value;
        if (status != ErrOk)
        {
            throw new WebRtcException(WebRtcError.NativeLibrary, $"srtp_init failed with status {status}");
        }
    }
}

internal sealed class SafeSrtpSessionHandle : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeSrtpSessionHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        int status = SrtpNative.srtp_dealloc(handle);
        NativeHandleCounter.Released();
        return status == SrtpNative.ErrOk;
    }
}
