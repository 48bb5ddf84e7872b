using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RemoteMedia.Pipeline.Manifest;

/// <summary>
/// Reads a v1 manifest from JSON with precise errors: malformed JSON gives line and column, a wrong field
/// names the node id and the field. Fields this runtime does not use (capabilities, host, execution, ...) are
/// accepted and logged at debug level, so manifests written for the original SDK load unchanged.
/// </summary>
internal static class ManifestReader
{
    private static readonly string[] TopLevelFields = ["version", "metadata", "nodes", "connections"];
    private static readonly string[] MetadataFields = ["name", "description", "created_at"];
    private static readonly string[] NodeFields = ["id", "node_type", "params", "is_streaming", "runtime_hint"];
    private static readonly string[] ConnectionFields = ["from", "to"];

    public static PipelineManifest Read(string json, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Invalid($"manifest is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {WithoutPosition(ex.Message)}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"manifest must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
            }
            LogIgnored(root, TopLevelFields, "manifest", logger);
            var version = RequiredString(root, "version", "manifest");
            if (version != PipelineManifest.SupportedVersion)
            {
                throw Invalid($"unsupported manifest version \"{version}\"; this runtime reads \"{PipelineManifest.SupportedVersion}\"");
            }
            var manifest = new PipelineManifest(version, ReadMetadata(root, logger), ReadNodes(root, logger), ReadConnections(root, logger));
            manifest.Validate();
            return manifest;
        }
    }

    private static ManifestMetadata ReadMetadata(JsonElement root, ILogger logger)
    {
        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("manifest field 'metadata' is required and must be an object with at least a 'name'");
        }
        LogIgnored(metadata, MetadataFields, "metadata", logger);
        return new ManifestMetadata(
            RequiredString(metadata, "name", "metadata"),
            OptionalString(metadata, "description", "metadata"),
            OptionalString(metadata, "created_at", "metadata"));
    }

    private static List<ManifestNode> ReadNodes(JsonElement root, ILogger logger)
    {
        if (!root.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("manifest field 'nodes' is required and must be an array");
        }
        var result = new List<ManifestNode>();
        var index = 0;
        foreach (var node in nodes.EnumerateArray())
        {
            var where = $"nodes[{index}]";
            if (node.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{where} must be an object");
            }
            var id = RequiredString(node, "id", where);
            where = $"node '{id}'";
            LogIgnored(node, NodeFields, where, logger);
            var nodeType = RequiredString(node, "node_type", where);
            var parameters = "{}";
            if (node.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid($"{where}: 'params' must be an object, got {p.ValueKind.ToString().ToLowerInvariant()}");
                }
                parameters = p.GetRawText();
            }
            bool? streaming = null;
            if (node.TryGetProperty("is_streaming", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                streaming = s.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Invalid($"{where}: 'is_streaming' must be a boolean, got {s.ValueKind.ToString().ToLowerInvariant()}"),
                };
            }
            RuntimeHint? hint = null;
            if (OptionalString(node, "runtime_hint", where) is { } hintName)
            {
                if (!RuntimeHintNames.TryParse(hintName, out var parsed))
                {
                    throw Invalid($"{where}: 'runtime_hint' must be one of {string.Join(", ", RuntimeHintNames.Accepted.Select(a => $"\"{a}\""))}, got \"{hintName}\"");
                }
                hint = parsed;
            }
            result.Add(new ManifestNode(id, nodeType, parameters, streaming, hint));
            index++;
        }
        return result;
    }

    private static List<ManifestConnection> ReadConnections(JsonElement root, ILogger logger)
    {
        var result = new List<ManifestConnection>();
        if (!root.TryGetProperty("connections", out var connections) || connections.ValueKind == JsonValueKind.Null)
        {
            return result;
        }
        if (connections.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("manifest field 'connections' must be an array");
        }
        var index = 0;
        foreach (var connection in connections.EnumerateArray())
        {
            var where = $"connections[{index++}]";
            if (connection.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{where} must be an object with 'from' and 'to'");
            }
            LogIgnored(connection, ConnectionFields, where, logger);
            result.Add(new ManifestConnection(RequiredString(connection, "from", where), RequiredString(connection, "to", where)));
        }
        return result;
    }

    private static string RequiredString(JsonElement element, string field, string where) =>
        OptionalString(element, field, where) ?? throw Invalid($"{where}: field '{field}' is required");

    private static string? OptionalString(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{where}: field '{field}' must be a string, got {value.ValueKind.ToString().ToLowerInvariant()}");
        }
        return value.GetString();
    }

    private static void LogIgnored(JsonElement element, string[] known, string where, ILogger logger)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                logger.LogDebug("manifest: {Where}: field '{Field}' is not used by this runtime and is ignored", where, property.Name);
            }
        }
    }

    // System.Text.Json appends its own zero-based "LineNumber: 2 | BytePositionInLine: 23."; ours is one-based.
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    internal static RemoteMediaException Invalid(string message) => new(ErrorCode.InvalidConfig, message);
}
