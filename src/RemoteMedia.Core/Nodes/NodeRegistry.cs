using RemoteMedia.Nodes.Managed;
using RemoteMedia.Nodes.Managed.Resample;
using RemoteMedia.Nodes.Managed.Vad;
using RemoteMedia.Nodes.Native;

namespace RemoteMedia.Nodes;

/// <summary>How one node kind is made: its managed factory and whether the native library implements it.</summary>
public sealed record NodeKindInfo(string Kind, bool HasNative, Func<string?, INodeExecutor> CreateManaged, string Description);

/// <summary>
/// The node factory: kind name to implementation, choosing native or managed per <see cref="RuntimeHint"/>.
/// Users register their own <see cref="INodeExecutor"/> kinds here.
/// </summary>
public sealed class NodeRegistry
{
    private readonly Dictionary<string, NodeKindInfo> kinds = new(StringComparer.Ordinal);
    private readonly object gate = new();

    /// <summary>The process-wide registry with every built-in node kind.</summary>
    public static NodeRegistry Default { get; } = CreateWithBuiltIns();

    public static NodeRegistry CreateWithBuiltIns()
    {
        var registry = new NodeRegistry();
        registry.Register(new NodeKindInfo(ManagedFormatConverter.NodeKind, true, c => new ManagedFormatConverter(c),
            "Converts between f32/i16/i32 and maps channels (N->1 average, 1->N copy). Params: target_format, target_channels."));
        registry.Register(new NodeKindInfo(ManagedAudioResample.NodeKind, true, c => new ManagedAudioResample(c),
            "Streaming Kaiser-sinc polyphase resampler, f32 any channels. Params: target_sample_rate (16000), quality low|medium|high (high)."));
        registry.Register(new NodeKindInfo(ManagedVadNode.NodeKind, true, c => new ManagedVadNode(c),
            "Voice activity per 10/20/30 ms frame (events, optional gating). Params: mode (robust|energy), frame_duration_ms, energy_threshold, aggressiveness, hangover_ms, gate_audio."));
        return registry;
    }

    public void Register(NodeKindInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (gate)
        {
            kinds[info.Kind] = info;
        }
    }

    /// <summary>Registers a managed-only node kind.</summary>
    public void Register(string kind, Func<string?, INodeExecutor> factory, string description = "") =>
        Register(new NodeKindInfo(kind, false, factory, description));

    public IReadOnlyList<NodeKindInfo> Kinds
    {
        get
        {
            lock (gate)
            {
                return kinds.Values.OrderBy(k => k.Kind, StringComparer.Ordinal).ToList();
            }
        }
    }

    public bool TryGet(string kind, out NodeKindInfo info)
    {
        lock (gate)
        {
            return kinds.TryGetValue(kind, out info!);
        }
    }

    /// <summary>Creates a node of <paramref name="kind"/> configured by the JSON object <paramref name="config"/>.</summary>
    public INodeExecutor Create(string kind, string? config = null, RuntimeHint hint = RuntimeHint.Auto)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (!TryGet(kind, out var info))
        {
            throw new RemoteMediaException(ErrorCode.UnknownNodeKind,
                $"unknown node kind '{kind}'; known kinds: {string.Join(", ", Kinds.Select(k => k.Kind))}");
        }
        if (!info.HasNative)
        {
            if (hint == RuntimeHint.Native)
            {
                throw new RemoteMediaException(ErrorCode.NotSupported, $"{kind} has no native implementation; use runtime auto or managed");
            }
            return info.CreateManaged(config);
        }
        return RemoteMediaRuntime.Resolve(hint) == NodeRuntime.Native
            ? new NativeNode(kind, config ?? string.Empty)
            : info.CreateManaged(config);
    }
}

/// <summary>Shortcuts over <see cref="NodeRegistry.Default"/>.</summary>
public static class Nodes
{
    public static INodeExecutor Create(string kind, string? config = null, RuntimeHint hint = RuntimeHint.Auto) =>
        NodeRegistry.Default.Create(kind, config, hint);
}
