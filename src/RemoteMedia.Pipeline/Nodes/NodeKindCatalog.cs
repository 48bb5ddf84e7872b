namespace RemoteMedia.Pipeline.Nodes;

/// <summary>One parameter of a node kind, for <c>remotemedia nodes</c> and the docs.</summary>
public sealed record NodeParameterInfo(string Name, string Type, string Default, string Description);

/// <summary>
/// The parameters of the known node kinds with their defaults. The registry knows how to create a kind; this
/// catalog documents it. Kinds registered by users show their registry description instead.
/// </summary>
public static class NodeKindCatalog
{
    private static readonly Dictionary<string, NodeParameterInfo[]> Parameters = new(StringComparer.Ordinal)
    {
        ["FormatConverterNode"] =
        [
            new("target_format", "\"f32\" | \"i16\" | \"i32\"", "\"f32\"", "output sample encoding"),
            new("target_channels", "integer 1..64", "input's", "output channels (N->1 averages, 1->N copies)"),
        ],
        ["AudioResampleNode"] =
        [
            new("target_sample_rate", "integer Hz", "16000", "output rate; the input rate comes from the input"),
            new("quality", "\"low\" | \"medium\" | \"high\"", "\"high\"", "filter quality"),
        ],
        ["VADNode"] =
        [
            new("mode", "\"robust\" | \"energy\"", "\"robust\"", "robust (noise-tolerant) or the original's RMS energy rule"),
            new("aggressiveness", "integer 0..3", "(see VADNode)", "robust mode: higher rejects more noise"),
            new("energy_threshold", "number", "0.02", "energy mode: per-frame RMS above which a frame is speech"),
        ],
        [PassThroughNode.NodeKind] = [],
        [AudioBufferNode.NodeKind] =
        [
            new("buffer_size_samples", "integer >= 1", AudioBufferNode.DefaultBlockFrames.ToString(System.Globalization.CultureInfo.InvariantCulture), "frames (samples per channel) per output block"),
        ],
        [AudioTransformNode.NodeKind] =
        [
            new("output_sample_rate", "integer Hz", "16000", "output rate (through AudioResampleNode)"),
            new("output_channels", "integer 1..64", "1", "output channels (through FormatConverterNode; output is f32)"),
        ],
        [VadTriggeredBufferNode.NodeKind] =
        [
            new("min_speech_duration_s", "number", "0.5", "utterances with less speech are dropped"),
            new("max_speech_duration_s", "number", "10", "an utterance this long is emitted at once"),
            new("silence_duration_s", "number", "0.5", "silence that ends an utterance"),
            new("pre_speech_buffer_s", "number", "0.3", "audio kept from before the speech started"),
        ],
    };

    public static IReadOnlyList<NodeParameterInfo>? ParametersOf(string kind) => Parameters.GetValueOrDefault(kind);
}
