using System.Runtime.InteropServices;

namespace RemoteMedia.WebRtc.Interop;

/// <summary>Raw libopus entry points (Debian package libopus0). Only blittable types cross.</summary>
internal static unsafe partial class OpusNative
{
    internal const string Library = "libopus.so.0";

    internal const int OK = 0;
    internal const int ApplicationVoip = 2048;
    internal const int ApplicationAudio = 2049;

    /// <summary>Every entry point this binding declares; the exports test resolves each one.</summary>
    internal static readonly string[] ExportNames =
    [
        "opus_get_version_string", "opus_encoder_create", "opus_encode", "opus_encoder_destroy",
        "opus_decoder_create", "opus_decode", "opus_decoder_destroy", "opus_packet_get_nb_samples", "opus_encoder_ctl",
    ];

    internal const int SetInbandFecRequest = 4012;
    internal const int GetInbandFecRequest = 4013;
    internal const int SetPacketLossPercRequest = 4014;

    // int opus_encoder_ctl(OpusEncoder *st, int request, ...);
    // Variadic in C. On x86-64 and AArch64 Linux an int or pointer passed as a variadic argument travels exactly like a
    // fixed one (same register), so a fixed-arity import with one int or int* argument is correct there.
    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_set(SafeOpusEncoderHandle st, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_get(SafeOpusEncoderHandle st, int request, int* value);

    // const char *opus_get_version_string(void);
    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    internal static partial nint opus_get_version_string();

    // OpusEncoder *opus_encoder_create(opus_int32 Fs, int channels, int application, int *error);
    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    internal static partial SafeOpusEncoderHandle opus_encoder_create(int fs, int channels, int application, out int error);

    // opus_int32 opus_encode(OpusEncoder *st, const opus_int16 *pcm, int frame_size, unsigned char *data, opus_int32 max_data_bytes);
    [LibraryImport(Library, EntryPoint = "opus_encode")]
    internal static partial int opus_encode(SafeOpusEncoderHandle st, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // void opus_encoder_destroy(OpusEncoder *st);
    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    internal static partial void opus_encoder_destroy(nint st);

    // OpusDecoder *opus_decoder_create(opus_int32 Fs, int channels, int *error);
    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    internal static partial SafeOpusDecoderHandle opus_decoder_create(int fs, int channels, out int error);

    // int opus_decode(OpusDecoder *st, const unsigned char *data, opus_int32 len, opus_int16 *pcm, int frame_size, int decode_fec);
    [LibraryImport(Library, EntryPoint = "opus_decode")]
    internal static partial int opus_decode(SafeOpusDecoderHandle st, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    // void opus_decoder_destroy(OpusDecoder *st);
    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    internal static partial void opus_decoder_destroy(nint st);

    // int opus_packet_get_nb_samples(const unsigned char packet[], opus_int32 len, opus_int32 Fs);
    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_samples")]
    internal static partial int opus_packet_get_nb_samples(byte* packet, int len, int fs);
}

internal sealed class SafeOpusEncoderHandle : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeOpusEncoderHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_encoder_destroy(handle);
        NativeHandleCounter.Released();
        return true;
    }
}

internal sealed class SafeOpusDecoderHandle : Microsoft.Win32.SafeHandles.SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeOpusDecoderHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_decoder_destroy(handle);
        NativeHandleCounter.Released();
        return true;
    }
}

/// <summary>Counts live native objects created by this assembly, so leak tests can assert zero.</summary>
internal static class NativeHandleCounter
{
    private static long live;

    internal static long Live => Interlocked.Read(ref live);

    internal static void Created() => Interlocked.Increment(ref live);

    internal static void Released() => Interlocked.Decrement(ref live);
}
