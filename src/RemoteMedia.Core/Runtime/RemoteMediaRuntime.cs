using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RemoteMedia.Interop;

namespace RemoteMedia;

/// <summary>
/// Decides once per process whether native kernels are used, logs the decision once with its reason,
/// and publishes it as a metric. Set <see cref="LoggerFactory"/> before the first node is created to
/// receive that log line.
/// </summary>
public static class RemoteMediaRuntime
{
    public const string DisableVariable = "REMOTEMEDIA_DISABLE_NATIVE";
    public const string MeterName = "RemoteMedia";

    private static readonly Lazy<NativeRuntimeStatus> LazyStatus = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Meter RuntimeMeter = new(MeterName);
    private static ILoggerFactory loggerFactory = NullLoggerFactory.Instance;

    static RemoteMediaRuntime()
    {
        RuntimeMeter.CreateObservableGauge(
            "remotemedia.runtime.native_available",
            () => new Measurement<int>(Status.IsNativeAvailable ? 1 : 0,
                new KeyValuePair<string, object?>("reason", Status.Reason.ToString())),
            description: "1 when native kernels are in use, 0 when nodes fall back to managed code");
    }

    /// <summary>Where SDK log lines go (the runtime decision, node fallbacks).</summary>
    public static ILoggerFactory LoggerFactory
    {
        get => loggerFactory;
        set => loggerFactory = value ?? NullLoggerFactory.Instance;
    }

    /// <summary>The native runtime decision, made on first use.</summary>
    public static NativeRuntimeStatus Status => LazyStatus.Value;

    /// <summary>Picks the runtime for a hint, or throws when <see cref="RuntimeHint.Native"/> cannot be honoured.</summary>
    public static NodeRuntime Resolve(RuntimeHint hint) => hint switch
    {
        RuntimeHint.Managed => NodeRuntime.Managed,
        RuntimeHint.Native when !Status.IsNativeAvailable => throw new RemoteMediaException(
            ErrorCode.NotSupported, $"the native runtime was requested but is unavailable: {Status.Description}"),
        RuntimeHint.Native => NodeRuntime.Native,
        _ => Status.IsNativeAvailable ? NodeRuntime.Native : NodeRuntime.Managed,
    };

    /// <summary>Native nodes created and not yet destroyed (0 when the library is not loaded).</summary>
    public static long LiveNativeNodes => Status.IsNativeAvailable ? (long)NativeMethods.rm_live_node_count() : 0;

    private static NativeRuntimeStatus Probe()
    {
        var status = ProbeNative();
        var logger = loggerFactory.CreateLogger("RemoteMedia.Runtime");
        if (status.IsNativeAvailable)
        {
            logger.LogInformation("RemoteMedia native kernels in use: {Path} (ABI {Abi})", status.LibraryPath, status.AbiVersion);
        }
        else
        {
            logger.LogWarning("RemoteMedia native kernels unavailable ({Reason}): {Description}; nodes run managed", status.Reason, status.Description);
        }
        return status;
    }

    private static NativeRuntimeStatus ProbeNative()
    {
        if (Environment.GetEnvironmentVariable(DisableVariable) is "1" or "true" or "TRUE" or "yes")
        {
            return new(false, NativeUnavailableReason.DisabledByEnvironment, $"disabled by {DisableVariable}=1", null, null);
        }
        if (NativeLibraryLoader.TryLoad() == IntPtr.Zero)
        {
            return new(false, NativeUnavailableReason.NotFound,
                $"native library not found (looked in: {string.Join(", ", NativeLibraryLoader.Candidates)}, then the default search path)", null, null);
        }
        try
        {
            var version = NativeMethods.rm_abi_version();
            if (version != NativeMethods.RM_ABI_VERSION)
            {
                return new(false, NativeUnavailableReason.AbiVersionMismatch,
                    $"native library at {NativeLibraryLoader.LoadedFrom} has ABI version {version}, this SDK needs {NativeMethods.RM_ABI_VERSION}",
                    NativeLibraryLoader.LoadedFrom, version);
            }
            return new(true, NativeUnavailableReason.None, "native library loaded", NativeLibraryLoader.LoadedFrom, version);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or BadImageFormatException)
        {
            return new(false, NativeUnavailableReason.LoadFailed, $"native library could not be used: {ex.Message}", NativeLibraryLoader.LoadedFrom, null);
        }
    }
}
