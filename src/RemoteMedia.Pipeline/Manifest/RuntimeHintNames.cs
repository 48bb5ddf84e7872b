namespace RemoteMedia.Pipeline.Manifest;

/// <summary>
/// The <c>runtime_hint</c> names of manifests. Old remotemedia manifests say "rust" for the fast path and
/// "python"/"cpython"/"rust_python" for the interpreted one; here those mean native and managed.
/// </summary>
public static class RuntimeHintNames
{
    public static IReadOnlyList<string> Accepted { get; } = ["auto", "native", "managed", "rust", "python", "cpython", "rust_python"];

    public static bool TryParse(string? name, out RuntimeHint hint)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "auto":
                hint = RuntimeHint.Auto;
                return true;
            case "native" or "rust":
                hint = RuntimeHint.Native;
                return true;
            case "managed" or "python" or "cpython" or "rust_python":
                hint = RuntimeHint.Managed;
                return true;
            default:
                hint = RuntimeHint.Auto;
                return false;
        }
    }

    public static string Format(RuntimeHint hint) => hint switch
    {
        RuntimeHint.Native => "native",
        RuntimeHint.Managed => "managed",
        _ => "auto",
    };
}
