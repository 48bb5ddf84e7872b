using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RemoteMedia.Interop;
using RemoteMedia.Interop.Generator;
using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Interop;

/// <summary>The generated binding layer stays current, complete and blittable.</summary>
public class BindingTests
{
    private static readonly MethodInfo[] Imports = typeof(NativeMethods)
        .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
        .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
        .ToArray();

    [Fact]
    public void Regenerating_from_the_rust_source_gives_the_committed_file()
    {
        var generated = BindingGenerator.Generate(Path.Combine(RepoLayout.Root, "native-rust", "src"));
        var committed = File.ReadAllText(Path.Combine(RepoLayout.Root, "interop", "NativeMethods.g.cs"));
        Assert.True(generated == committed,
            "interop/NativeMethods.g.cs is stale: run `./build.sh generate` and commit the result");
    }

    [Fact]
    public void Export_list_matches_the_declared_imports()
    {
        var declared = Imports.Select(m => m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint).Order().ToArray();
        Assert.Equal(NativeMethods.ExportNames.Order().ToArray(), declared);
        Assert.Contains("rm_node_create", declared);
        Assert.Contains("rm_abi_version", declared);
    }

    [NativeFact]
    public void Every_declared_entry_point_exists_in_the_built_library()
    {
        var library = NativeLibraryLoader.TryLoad();
        Assert.NotEqual(IntPtr.Zero, library);
        var missing = NativeMethods.ExportNames.Where(name => !NativeLibrary.TryGetExport(library, name, out _)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_declaration_uses_only_blittable_types()
    {
        Assert.NotEmpty(Imports);
        foreach (var method in Imports)
        {
            foreach (var type in method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType))
            {
                Assert.True(IsBlittable(type), $"{method.Name} uses non-blittable type {type}");
            }
        }
    }

    [Fact]
    public void Abi_structs_have_the_c_layout()
    {
        Assert.Equal(24, Unsafe.SizeOf<RmAudio>());
        Assert.Equal(8, (int)Marshal.OffsetOf<RmAudio>(nameof(RmAudio.frames)));
        Assert.Equal(12, (int)Marshal.OffsetOf<RmAudio>(nameof(RmAudio.channels)));
        Assert.Equal(14, (int)Marshal.OffsetOf<RmAudio>(nameof(RmAudio.format)));
        Assert.Equal(16, (int)Marshal.OffsetOf<RmAudio>(nameof(RmAudio.sample_rate)));
        Assert.Equal(24, Unsafe.SizeOf<RmEvent>());
    }

    [Fact]
    public void No_public_type_lives_in_the_interop_namespace()
    {
        var leaked = typeof(RemoteMediaRuntime).Assembly.GetTypes()
            .Where(t => t.Namespace == "RemoteMedia.Interop" && (t.IsPublic || t.IsNestedPublic))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(leaked);
    }

    private static bool IsBlittable(Type type)
    {
        if (type == typeof(void))
        {
            return true;
        }
        if (type.IsPointer)
        {
            return IsBlittable(type.GetElementType()!);
        }
        if (type == typeof(bool) || type == typeof(char) || type == typeof(string) || type == typeof(decimal))
        {
            return false;
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(nint) || type == typeof(nuint))
        {
            return true;
        }
        return type.IsValueType && !(bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(type).Invoke(null, null)!
            && type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).All(f => IsBlittable(f.FieldType));
    }
}
