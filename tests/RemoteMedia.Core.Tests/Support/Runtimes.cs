namespace RemoteMedia.Tests.Support;

/// <summary>Theory data: every runtime that can run in this process (managed always; native when loaded).</summary>
public static class Runtimes
{
    public static IEnumerable<RuntimeHint> AvailableHints() =>
        RemoteMediaRuntime.Status.IsNativeAvailable ? [RuntimeHint.Managed, RuntimeHint.Native] : [RuntimeHint.Managed];

    public static TheoryData<RuntimeHint> Available() => new(AvailableHints());
}
