using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RemoteMedia.Pipeline.Manifest;

/// <summary>
/// A pipeline description in the original remotemedia v1 manifest format:
/// <c>{"version":"v1","metadata":{...},"nodes":[...],"connections":[{"from","to"}]}</c>.
/// Parsing validates the structure (version, unique ids, existing endpoints, no cycles); node kinds and
/// parameters are validated when the pipeline is built against a <see cref="RemoteMedia.Nodes.NodeRegistry"/>.
/// </summary>
public sealed record PipelineManifest(
    string Version,
    ManifestMetadata Metadata,
    IReadOnlyList<ManifestNode> Nodes,
    IReadOnlyList<ManifestConnection> Connections)
{
    public const string SupportedVersion = "v1";

    /// <summary>Parses and validates a manifest; every error is a <see cref="RemoteMediaException"/> with code InvalidConfig.</summary>
    public static PipelineManifest Parse(string json, ILogger? logger = null) =>
        ManifestReader.Read(json, logger ?? RemoteMediaRuntime.LoggerFactory.CreateLogger("RemoteMedia.Pipeline.Manifest"));

    public static PipelineManifest Load(string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), logger);
    }

    /// <summary>Checks the graph rules: at least one node, unique ids, connections between existing nodes, no cycles.</summary>
    public void Validate() => ManifestGraph.Validate(this);

    /// <summary>The node ids in a topological order (stable: declaration order among ready nodes).</summary>
    public IReadOnlyList<string> TopologicalOrder() => ManifestGraph.TopologicalOrder(this);

    /// <summary>Writes the manifest back in the v1 format.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("version", Version);
            writer.WriteStartObject("metadata");
            writer.WriteString("name", Metadata.Name);
            WriteOptional(writer, "description", Metadata.Description);
            WriteOptional(writer, "created_at", Metadata.CreatedAt);
            writer.WriteEndObject();
            writer.WriteStartArray("nodes");
            foreach (var node in Nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", node.Id);
                writer.WriteString("node_type", node.NodeType);
                writer.WritePropertyName("params");
                using (var parameters = JsonDocument.Parse(node.ParamsJson))
                {
                    parameters.RootElement.WriteTo(writer);
                }
                if (node.IsStreaming is { } streaming)
                {
                    writer.WriteBoolean("is_streaming", streaming);
                }
                if (node.RuntimeHint is { } hint)
                {
                    writer.WriteString("runtime_hint", RuntimeHintNames.Format(hint));
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("connections");
            foreach (var connection in Connections)
            {
                writer.WriteStartObject();
                writer.WriteString("from", connection.From);
                writer.WriteString("to", connection.To);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>The manifest's <c>metadata</c> object.</summary>
public sealed record ManifestMetadata(string Name, string? Description = null, string? CreatedAt = null);

/// <summary>
/// One node of a manifest. <see cref="ParamsJson"/> is the node's <c>params</c> object verbatim: the same JSON
/// the node kind's factory (native or managed) reads strictly. A null <see cref="RuntimeHint"/> means "auto".
/// </summary>
public sealed record ManifestNode(string Id, string NodeType, string ParamsJson = "{}", bool? IsStreaming = null, RuntimeHint? RuntimeHint = null);

/// <summary>A directed edge: the audio (and events) of <see cref="From"/> flow into <see cref="To"/>.</summary>
public sealed record ManifestConnection(string From, string To);
