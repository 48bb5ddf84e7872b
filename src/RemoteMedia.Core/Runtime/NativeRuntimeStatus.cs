namespace RemoteMedia;

/// <summary>The once-per-process decision about the native library, with its reason.</summary>
public sealed record NativeRuntimeStatus(
    bool IsNativeAvailable,
    NativeUnavailableReason Reason,
    string Description,
    string? LibraryPath,
    uint? AbiVersion)
{
    /// <summary>The ABI version this SDK was built against.</summary>
    public static uint ExpectedAbiVersion => Interop.NativeMethods.RM_ABI_VERSION;
}
