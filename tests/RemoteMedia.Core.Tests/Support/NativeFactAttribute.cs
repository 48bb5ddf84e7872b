namespace RemoteMedia.Tests.Support;

/// <summary>
/// A fact that needs the native library: skipped (and reported as skipped, with the reason) in the
/// managed-only CI leg or wherever the runtime decided to fall back.
/// </summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (!RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            Skip = $"native runtime unavailable: {RemoteMediaRuntime.Status.Description}";
        }
    }
}

/// <summary>A theory that needs the native library; see <see cref="NativeFactAttribute"/>.</summary>
public sealed class NativeTheoryAttribute : TheoryAttribute
{
    public NativeTheoryAttribute()
    {
        if (!RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            Skip = $"native runtime unavailable: {RemoteMediaRuntime.Status.Description}";
        }
    }
}
