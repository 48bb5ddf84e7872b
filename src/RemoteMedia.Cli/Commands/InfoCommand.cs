using System.CommandLine;
using RemoteMedia.Nodes;

namespace RemoteMedia.Cli.Commands;

/// <summary><c>remotemedia info</c>: where the native library is, its ABI version, and which runtime is in use.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the native library, its ABI version and the runtime in use (or why it fell back).");
        command.SetAction(_ =>
        {
            var status = RemoteMediaRuntime.Status;
            Console.WriteLine($"runtime:        {(status.IsNativeAvailable ? "native" : "managed")}");
            Console.WriteLine($"native library: {status.LibraryPath ?? "(not loaded)"}");
            Console.WriteLine($"abi version:    {(status.AbiVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")} (SDK expects {NativeRuntimeStatus.ExpectedAbiVersion})");
            Console.WriteLine($"status:         {status.Description}");
            if (!status.IsNativeAvailable)
            {
                Console.WriteLine($"fallback reason: {status.Reason}");
            }
            Console.WriteLine($"node kinds:     {string.Join(", ", NodeRegistry.Default.Kinds.Select(k => k.Kind))}");
            return 0;
        });
        return command;
    }
}
