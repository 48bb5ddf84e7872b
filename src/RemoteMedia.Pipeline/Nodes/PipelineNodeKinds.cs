using System.Runtime.CompilerServices;
using RemoteMedia.Nodes;

namespace RemoteMedia.Pipeline.Nodes;

/// <summary>
/// The node kinds this assembly adds: PassThrough, AudioBuffer, AudioTransform, VADTriggeredBuffer. They are
/// registered into <see cref="NodeRegistry.Default"/> when the assembly loads (a kind already registered, e.g. a
/// native version added to Core later, is left alone); call <see cref="RegisterTo"/> for a registry of your own.
/// </summary>
public static class PipelineNodeKinds
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The default registry must know these kinds before any manifest is built.")]
    internal static void RegisterDefaults() => RegisterTo(NodeRegistry.Default);

    public static void RegisterTo(NodeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        RegisterIfAbsent(registry, PassThroughNode.NodeKind, c => new PassThroughNode(c), "Copies its input unchanged.");
        RegisterIfAbsent(registry, AudioBufferNode.NodeKind, c => new AudioBufferNode(c),
            "Re-chunks a stream into blocks of buffer_size_samples frames; flushes the rest.");
        RegisterIfAbsent(registry, AudioTransformNode.NodeKind, c => new AudioTransformNode(c, registry, RuntimeHint.Auto),
            "Legacy: FormatConverterNode (f32, output_channels) then AudioResampleNode (output_sample_rate).");
        RegisterIfAbsent(registry, VadTriggeredBufferNode.NodeKind, c => new VadTriggeredBufferNode(c),
            "Emits one buffer per utterance, driven by upstream VADNode events.");
    }

    private static void RegisterIfAbsent(NodeRegistry registry, string kind, Func<string?, INodeExecutor> factory, string description)
    {
        if (!registry.TryGet(kind, out _))
        {
            registry.Register(kind, factory, description);
        }
    }

    /// <summary>
    /// Creates a node for a pipeline. Composite kinds (AudioTransform) pass the node's runtime hint on to their
    /// parts, so "native" means "native parts"; every other kind goes through the registry as is.
    /// </summary>
    public static INodeExecutor Create(NodeRegistry registry, string kind, string? config, RuntimeHint hint)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (kind == AudioTransformNode.NodeKind && registry.TryGet(kind, out var info) && !info.HasNative)
        {
            return new AudioTransformNode(config, registry, hint);
        }
        return registry.Create(kind, config, hint);
    }
}
