namespace RemoteMedia;

/// <summary>Which implementation a caller asks for.</summary>
public enum RuntimeHint
{
    /// <summary>Native when the library loads, else managed.</summary>
    Auto,
    /// <summary>Native, or a clear <see cref="RemoteMediaException"/> if it cannot load.</summary>
    Native,
    /// <summary>The pure C# implementation.</summary>
    Managed,
}

/// <summary>Which implementation actually runs a node.</summary>
public enum NodeRuntime
{
    Native,
    Managed,
}

/// <summary>Why the native library is not in use.</summary>
public enum NativeUnavailableReason
{
    None,
    DisabledByEnvironment,
    NotFound,
    AbiVersionMismatch,
    LoadFailed,
}
