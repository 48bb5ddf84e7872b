using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RemoteMedia.Interop;

/// <summary>
/// Resolves the native library for every import of this assembly. Registered once, never throws:
/// when nothing loads it returns zero and the runtime falls back to managed nodes.
/// Order: the <c>REMOTEMEDIA_NATIVE_PATH</c> override (a file or a folder), the app folder and its
/// NuGet <c>runtimes/&lt;rid&gt;/native</c> folder, the default probing of the host (deps.json), then the
/// crate's build output when running from a source checkout.
/// </summary>
internal static class NativeLibraryLoader
{
    public const string OverrideVariable = "REMOTEMEDIA_NATIVE_PATH";
    private static readonly object Gate = new();
    private static IntPtr loaded;

    /// <summary>The file the library was loaded from, or a description of how it was found.</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>Every path tried, for diagnostics when nothing loads.</summary>
    public static IReadOnlyList<string> Candidates => BuildCandidates().ToList();

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be registered before the first P/Invoke of this assembly.")]
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.__DllName)
        {
            return IntPtr.Zero;
        }
        return TryLoad(assembly, searchPath);
    }

    /// <summary>Loads the library once; later calls return the cached handle (or zero).</summary>
    public static IntPtr TryLoad(Assembly? assembly = null, DllImportSearchPath? searchPath = null)
    {
        lock (Gate)
        {
            if (loaded != IntPtr.Zero)
            {
                return loaded;
            }
            foreach (var candidate in BuildCandidates())
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
                {
                    LoadedFrom = candidate;
                    return loaded = handle;
                }
            }
            if (Environment.GetEnvironmentVariable(OverrideVariable) is null
                && NativeLibrary.TryLoad(NativeMethods.__DllName, assembly ?? typeof(NativeLibraryLoader).Assembly, searchPath, out var byName))
            {
                LoadedFrom = "(found by the host's default probing)";
                return loaded = byName;
            }
            return IntPtr.Zero;
        }
    }

    private static string FileName =>
        OperatingSystem.IsWindows() ? "remotemedia_native.dll"
        : OperatingSystem.IsMacOS() ? "libremotemedia_native.dylib"
        : "libremotemedia_native.so";

    private static IEnumerable<string> BuildCandidates()
    {
        var overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            // An explicit override is the only place looked at: a wrong override must not silently load another copy.
            yield return Directory.Exists(overridePath) ? Path.Combine(overridePath, FileName) : overridePath;
            yield break;
        }
        var baseDir = AppContext.BaseDirectory;
        yield return Path.Combine(baseDir, FileName);
        yield return Path.Combine(baseDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", FileName);
        yield return Path.Combine(baseDir, "runtimes", PortableRid(), "native", FileName);
        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            var crateOutput = Path.Combine(dir.FullName, "native-rust", "target", "release", FileName);
            if (File.Exists(crateOutput))
            {
                yield return crateOutput;
                yield break;
            }
        }
    }

    private static string PortableRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }
}
