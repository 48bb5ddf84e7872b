using System.CommandLine;
using RemoteMedia.Nodes;
using RemoteMedia.Pipeline.Nodes;

namespace RemoteMedia.Cli.Commands;

/// <summary><c>remotemedia nodes</c>: every node kind, its parameters with defaults, and the runtimes available for it.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "List every node kind with its parameters, defaults and available runtimes.");
        command.SetAction(_ =>
        {
            PipelineNodeKinds.RegisterTo(NodeRegistry.Default);
            var status = RemoteMediaRuntime.Status;
            foreach (var kind in NodeRegistry.Default.Kinds)
            {
                Console.WriteLine($"{kind.Kind}");
                Console.WriteLine($"  runtimes: {Runtimes(kind, status)}");
                if (!string.IsNullOrEmpty(kind.Description))
                {
                    Console.WriteLine($"  {kind.Description}");
                }
                var parameters = NodeKindCatalog.ParametersOf(kind.Kind);
                if (parameters is null)
                {
                    continue;
                }
                if (parameters.Count == 0)
                {
                    Console.WriteLine("  params: none");
                }
                foreach (var p in parameters)
                {
                    Console.WriteLine($"  - {p.Name} ({p.Type}, default {p.Default}): {p.Description}");
                }
            }
            return 0;
        });
        return command;
    }

    private static string Runtimes(NodeKindInfo kind, NativeRuntimeStatus status) =>
        !kind.HasNative ? "managed"
        : status.IsNativeAvailable ? "native, managed"
        : $"managed (native implementation exists, not loaded: {status.Description})";
}
