using System.Runtime.InteropServices;

namespace RemoteMedia.WebRtc.Interop;

/// <summary>Checks, once, that the media libraries load, so a missing one is a clear error and not a crash on a media thread.</summary>
internal static class NativeLibraries
{
    private static readonly Lazy<string?> Missing = new(Probe);

    internal static void EnsureMediaLibraries()
    {
        if (Missing.Value is { } message)
        {
            throw new WebRtcException(WebRtcError.NativeLibrary, message);
        }
    }

    private static string? Probe()
    {
        foreach (var (library, package) in new[] { (OpusNative.Library, "libopus0"), (SrtpNative.Library, "libsrtp2-1") })
        {
            if (!NativeLibrary.TryLoad(library, typeof(NativeLibraries).Assembly, null, out _))
            {
                return $"{library} could not be loaded: apt-get install -y {package}";
            }
        }

        return null;
    }
}
