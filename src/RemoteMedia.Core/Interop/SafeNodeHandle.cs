using Microsoft.Win32.SafeHandles;

namespace RemoteMedia.Interop;

/// <summary>Owns one native node; releasing it calls <c>rm_node_destroy</c> exactly once.</summary>
internal sealed unsafe class SafeNodeHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeNodeHandle()
        : base(ownsHandle: true)
    {
    }

    public RmNode* Node => (RmNode*)handle;

    public static SafeNodeHandle Create(string kind, string config)
    {
        var kindBytes = Utf8Z(kind);
        var configBytes = Utf8Z(config);
        var result = new SafeNodeHandle();
        RmNode* node;
        int status;
        fixed (byte* k = kindBytes)
        fixed (byte* c = configBytes)
        {
            status = NativeMethods.rm_node_create(k, c, &node);
        }
        NativeErrors.ThrowIfFailed(status, nameof(NativeMethods.rm_node_create));
        result.SetHandle((IntPtr)node);
        return result;
    }

    internal static byte[] Utf8Z(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rm_node_destroy((RmNode*)handle);
        return true;
    }
}
