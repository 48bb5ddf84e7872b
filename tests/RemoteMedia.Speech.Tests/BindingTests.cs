using System.Reflection;
using System.Runtime.InteropServices;
using RemoteMedia.Speech.Interop;
using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>The hand-written engine bindings: every import resolves, only blittable types cross, nothing native is public.</summary>
public class BindingTests
{
    private static readonly MethodInfo[] Imports = new[] { typeof(PocketSphinxNative), typeof(EspeakNative) }
        .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
        .ToArray();

    [Fact]
    public void Every_declared_entry_point_exists_in_the_library_it_names()
    {
        SpeechEngines.RequirePocketSphinx();
        SpeechEngines.RequireEspeak();
        Assert.True(Imports.Length >= 25, $"only {Imports.Length} imports found");

        var missing = new List<string>();
        foreach (var group in Imports.GroupBy(m => m.GetCustomAttribute<LibraryImportAttribute>()!.LibraryName))
        {
            var library = NativeLibrary.Load(group.Key);
            try
            {
                missing.AddRange(group
                    .Select(m => m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint ?? m.Name)
                    .Where(name => !NativeLibrary.TryGetExport(library, name, out _))
                    .Select(name => $"{group.Key}!{name}"));
            }
            finally
            {
                NativeLibrary.Free(library);
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Every_declaration_uses_only_blittable_types()
    {
        foreach (var method in Imports)
        {
            foreach (var type in method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType))
            {
                Assert.True(IsBlittable(type), $"{method.Name} uses {type}");
            }
        }
    }

    [Fact]
    public void No_public_type_exposes_the_native_layer()
    {
        var assembly = typeof(PocketSphinxRecognizer).Assembly;

        Assert.DoesNotContain(assembly.GetTypes(), t => t.Namespace == "RemoteMedia.Speech.Interop" && (t.IsPublic || t.IsNestedPublic));
        Assert.DoesNotContain(assembly.GetExportedTypes(), t => typeof(SafeHandle).IsAssignableFrom(t));
        var leakingMembers = assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m is PropertyInfo { PropertyType: var pt } && (pt == typeof(nint) || typeof(SafeHandle).IsAssignableFrom(pt)))
            .Select(m => $"{m.DeclaringType}.{m.Name}")
            .ToList();
        Assert.Empty(leakingMembers);
    }

    private static bool IsBlittable(Type type) =>
        type == typeof(void) || type.IsPointer || type.IsFunctionPointer || type.IsUnmanagedFunctionPointer
        || typeof(SafeHandle).IsAssignableFrom(type)
        || (type.IsPrimitive && type != typeof(bool) && type != typeof(char));
}

/// <summary>A missing Debian package surfaces as one clear error naming the package, never a DllNotFoundException.</summary>
public class MissingLibraryTests
{
    [Fact]
    public void Unloadable_library_is_reported_with_its_package_and_the_setup_command()
    {
        Assert.False(NativeSpeechLibraries.TryEnsure("libno-such-speech-engine.so.9", "no-such-package", out var reason));
        Assert.Contains("libno-such-speech-engine.so.9", reason, StringComparison.Ordinal);
        Assert.Contains("no-such-package", reason, StringComparison.Ordinal);
        Assert.Contains("./build.sh setup", reason, StringComparison.Ordinal);

        var error = Assert.Throws<RemoteMediaException>(() => NativeSpeechLibraries.Ensure("libno-such-speech-engine.so.9", "no-such-package"));
        Assert.Equal(ErrorCode.NotSupported, error.ErrorCode);
        Assert.Equal(reason, error.Message);
    }
}
