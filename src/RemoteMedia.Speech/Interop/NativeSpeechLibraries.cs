using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RemoteMedia.Speech.Interop;

/// <summary>
/// Checks once per library that its soname loads, so a missing Debian package becomes a
/// <see cref="RemoteMediaException"/> naming the package instead of a <see cref="DllNotFoundException"/>
/// from deep inside a call.
/// </summary>
internal static class NativeSpeechLibraries
{
    public const string SetupHint = "install it with `apt-get install` or run `./build.sh setup`";

    private static readonly ConcurrentDictionary<string, bool> Loadable = new();

    public static bool TryEnsure(string soname, string debianPackage, out string reason)
    {
        var loads = Loadable.GetOrAdd(soname, static name => NativeLibrary.TryLoad(name, typeof(NativeSpeechLibraries).Assembly, null, out _));
        reason = loads ? string.Empty : $"{soname} could not be loaded: the Debian package {debianPackage} is missing ({SetupHint})";
        return loads;
    }

    public static void Ensure(string soname, string debianPackage)
    {
        if (!TryEnsure(soname, debianPackage, out var reason))
        {
            throw new RemoteMediaException(ErrorCode.NotSupported, reason);
        }
    }
}
