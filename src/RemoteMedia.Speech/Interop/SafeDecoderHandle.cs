using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RemoteMedia.Speech.Interop;

/// <summary>
/// Owns one pocketsphinx decoder and the native argument strings its configuration points into
/// (sphinxbase keeps pointers into argv rather than copying it), so both die together:
/// <c>ps_free</c> first, then the strings.
/// </summary>
internal sealed unsafe class SafeDecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private NativeStringArray? arguments;

    public SafeDecoderHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Live decoders in this process, for leak tests.</summary>
    internal static int LiveCount => liveCount;

    private static int liveCount;

    internal void Adopt(nint decoder, NativeStringArray decoderArguments)
    {
        arguments = decoderArguments;
        SetHandle(decoder);
        Interlocked.Increment(ref liveCount);
    }

    protected override bool ReleaseHandle()
    {
        PocketSphinxNative.ps_free(handle);
        arguments?.Dispose();
        Interlocked.Decrement(ref liveCount);
        return true;
    }
}

/// <summary>A NUL-terminated UTF-8 argv in native memory, freed on dispose.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private byte** pointers;

    public NativeStringArray(IReadOnlyList<string> values)
    {
        Count = values.Count;
        pointers = (byte**)NativeMemory.AllocZeroed((nuint)(Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < Count; i++)
        {
            pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
        }
    }

    public int Count { get; }

    public byte** Pointers => pointers;

    public void Dispose()
    {
        if (pointers == null)
        {
            return;
        }
        for (var i = 0; i < Count; i++)
        {
            Marshal.FreeCoTaskMem((nint)pointers[i]);
        }
        NativeMemory.Free(pointers);
        pointers = null;
    }
}
