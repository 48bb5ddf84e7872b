using System.Text.Json.Nodes;
using RemoteMedia.Nodes;
using RemoteMedia.Pipeline.Manifest;

namespace RemoteMedia.Pipeline;

/// <summary>
/// Builds a pipeline in code; it produces the same <see cref="PipelineManifest"/> a JSON file would, so code and
/// manifests share one validation path.
/// <code>
/// using var pipeline = AudioPipeline.CreateBuilder("voice")
///     .Then("mono", "FormatConverterNode", """{"target_channels":1}""")
///     .Then("to16k", "AudioResampleNode", """{"target_sample_rate":16000}""")
///     .Then("vad", "VADNode")
///     .Then("utterances", "VADTriggeredBuffer")
///     .Build();
/// </code>
/// </summary>
public sealed class PipelineBuilder
{
    private readonly List<ManifestNode> nodes = [];
    private readonly List<ManifestConnection> connections = [];
    private string name;
    private string? description;
    private string? last;
    private PipelineOptions options = new();

    public PipelineBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        this.name = name;
    }

    public PipelineBuilder Named(string pipelineName, string? pipelineDescription = null)
    {
        name = pipelineName;
        description = pipelineDescription;
        return this;
    }

    /// <summary>Adds a node without connecting it (use <see cref="Connect"/>).</summary>
    public PipelineBuilder AddNode(string id, string kind, string? parametersJson = null, RuntimeHint? hint = null, bool? isStreaming = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        nodes.Add(new ManifestNode(id, kind, string.IsNullOrWhiteSpace(parametersJson) ? "{}" : parametersJson, isStreaming, hint));
        last = id;
        return this;
    }

    public PipelineBuilder AddNode(string id, string kind, JsonObject parameters, RuntimeHint? hint = null) =>
        AddNode(id, kind, parameters?.ToJsonString(), hint);

    /// <summary>Adds a node fed by the node added just before it (a linear chain).</summary>
    public PipelineBuilder Then(string id, string kind, string? parametersJson = null, RuntimeHint? hint = null)
    {
        var previous = last;
        AddNode(id, kind, parametersJson, hint);
        if (previous is not null)
        {
            connections.Add(new ManifestConnection(previous, id));
        }
        return this;
    }

    public PipelineBuilder Connect(string from, string to)
    {
        connections.Add(new ManifestConnection(from, to));
        return this;
    }

    public PipelineBuilder WithOptions(PipelineOptions pipelineOptions)
    {
        options = pipelineOptions ?? throw new ArgumentNullException(nameof(pipelineOptions));
        return this;
    }

    public PipelineBuilder WithRegistry(NodeRegistry registry) => WithOptions(options with { Registry = registry });

    public PipelineBuilder WithRuntime(RuntimeHint runtime) => WithOptions(options with { RuntimeOverride = runtime });

    public PipelineBuilder WithMetrics(bool enabled) => WithOptions(options with { EnableMetrics = enabled });

    public PipelineBuilder OutputFrom(string nodeId) => WithOptions(options with { OutputNodeId = nodeId });

    /// <summary>The manifest of what was built so far, validated.</summary>
    public PipelineManifest ToManifest()
    {
        var manifest = new PipelineManifest(PipelineManifest.SupportedVersion, new ManifestMetadata(name, description), nodes.ToList(), connections.ToList());
        manifest.Validate();
        return manifest;
    }

    public AudioPipeline Build() => AudioPipeline.FromManifest(ToManifest(), options);
}
