using Microsoft.Extensions.Logging;
using RemoteMedia.Pipeline.Manifest;

namespace RemoteMedia.Pipeline.Tests;

public class ManifestTests
{
    private const string Valid = """
        {
          "version": "v1",
          "metadata": { "name": "demo", "description": "a test", "created_at": "2024-01-01T00:00:00Z", "author": "someone" },
          "nodes": [
            { "id": "fmt", "node_type": "FormatConverterNode", "params": { "target_channels": 1 }, "runtime_hint": "rust",
              "is_streaming": true, "capabilities": { "gpu": false }, "host": "localhost" },
            { "id": "buf", "node_type": "AudioBuffer", "params": { "buffer_size_samples": 160 }, "runtime_hint": "python" }
          ],
          "connections": [ { "from": "fmt", "to": "buf", "from_port": 0 } ],
          "execution": { "timeout_ms": 1000 }
        }
        """;

    [Fact]
    public void ParsesTheV1FormatAndIgnoresUnknownFieldsWithADebugLog()
    {
        var logger = new ListLogger();
        var manifest = PipelineManifest.Parse(Valid, logger);
        Assert.Equal("demo", manifest.Metadata.Name);
        Assert.Equal("a test", manifest.Metadata.Description);
        Assert.Equal(2, manifest.Nodes.Count);
        Assert.Equal(RuntimeHint.Native, manifest.Nodes[0].RuntimeHint);
        Assert.Equal(RuntimeHint.Managed, manifest.Nodes[1].RuntimeHint);
        Assert.True(manifest.Nodes[0].IsStreaming);
        Assert.Contains("\"target_channels\"", manifest.Nodes[0].ParamsJson);
        Assert.Equal(new ManifestConnection("fmt", "buf"), Assert.Single(manifest.Connections));
        foreach (var ignored in new[] { "execution", "author", "capabilities", "host", "from_port" })
        {
            Assert.Contains(logger.Lines, l => l.Level == LogLevel.Debug && l.Message.Contains($"'{ignored}'"));
        }
    }

    [Theory]
    [InlineData("auto", RuntimeHint.Auto)]
    [InlineData("native", RuntimeHint.Native)]
    [InlineData("managed", RuntimeHint.Managed)]
    [InlineData("rust", RuntimeHint.Native)]
    [InlineData("python", RuntimeHint.Managed)]
    [InlineData("cpython", RuntimeHint.Managed)]
    [InlineData("rust_python", RuntimeHint.Managed)]
    [InlineData("RUST", RuntimeHint.Native)]
    public void MapsRuntimeHintsIncludingLegacyNames(string name, RuntimeHint expected)
    {
        var manifest = PipelineManifest.Parse(Single("PassThrough", "{}", $"\"runtime_hint\":\"{name}\""));
        Assert.Equal(expected, manifest.Nodes[0].RuntimeHint);
    }

    [Fact]
    public void MalformedJsonReportsLineAndColumn()
    {
        const string broken = "{\n  \"version\": \"v1\",\n  \"nodes\": [ { \"id\": \"a\" \"node_type\": \"PassThrough\" } ]\n}";
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(broken));
        Assert.Equal(ErrorCode.InvalidConfig, ex.ErrorCode);
        Assert.Contains("line 3, column 26", ex.Message);
        Assert.DoesNotContain("LineNumber", ex.Message);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("1")]
    public void RejectsOtherVersions(string version)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(Valid.Replace("\"v1\"", $"\"{version}\"")));
        Assert.Contains($"unsupported manifest version \"{version}\"", ex.Message);
    }

    [Fact]
    public void RejectsAManifestWithoutNodes()
    {
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse("""{"version":"v1","metadata":{"name":"x"},"nodes":[]}"""));
        Assert.Contains("at least one node", ex.Message);
    }

    [Fact]
    public void RejectsDuplicateIds()
    {
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(Valid.Replace("\"id\": \"buf\"", "\"id\": \"fmt\"")));
        Assert.Contains("duplicate node id 'fmt'", ex.Message);
    }

    [Theory]
    [InlineData("\"from\": \"fmt\", \"to\": \"nowhere\"", "'to' names no node ('nowhere')")]
    [InlineData("\"from\": \"ghost\", \"to\": \"buf\"", "'from' names no node ('ghost')")]
    public void RejectsDanglingConnections(string connection, string expected)
    {
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(Valid.Replace("\"from\": \"fmt\", \"to\": \"buf\"", connection)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void RejectsCyclesAndNamesThem()
    {
        const string cyclic = """
            {"version":"v1","metadata":{"name":"loop"},
             "nodes":[{"id":"in","node_type":"PassThrough"},{"id":"a","node_type":"PassThrough"},{"id":"b","node_type":"PassThrough"},{"id":"c","node_type":"PassThrough"}],
             "connections":[{"from":"in","to":"a"},{"from":"a","to":"b"},{"from":"b","to":"c"},{"from":"c","to":"a"}]}
            """;
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(cyclic));
        Assert.Contains("cycle", ex.Message);
        Assert.Contains("a -> b -> c -> a", ex.Message);
    }

    [Fact]
    public void RejectsASelfLoop()
    {
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(Valid.Replace("\"to\": \"buf\"", "\"to\": \"fmt\"")));
        Assert.Contains("cycle", ex.Message);
    }

    [Theory]
    [InlineData("\"runtime_hint\":\"gpu\"", "node 'n': 'runtime_hint' must be one of")]
    [InlineData("\"is_streaming\":\"yes\"", "node 'n': 'is_streaming' must be a boolean")]
    [InlineData("\"params\":[1,2]", "node 'n': 'params' must be an object")]
    public void WrongFieldTypesNameTheNodeAndField(string extra, string expected)
    {
        var json = Single("PassThrough", null, extra);
        var ex = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MissingFieldsAreNamed()
    {
        var noType = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse("""{"version":"v1","metadata":{"name":"x"},"nodes":[{"id":"a"}]}"""));
        Assert.Contains("node 'a': field 'node_type' is required", noType.Message);
        var noMetadata = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse("""{"version":"v1","nodes":[{"id":"a","node_type":"PassThrough"}]}"""));
        Assert.Contains("'metadata'", noMetadata.Message);
        var notObject = Assert.Throws<RemoteMediaException>(() => PipelineManifest.Parse("[1]"));
        Assert.Contains("must be a JSON object", notObject.Message);
    }

    [Fact]
    public void RoundTripsThroughToJson()
    {
        var manifest = PipelineManifest.Parse(Valid);
        var again = PipelineManifest.Parse(manifest.ToJson());
        Assert.Equal(manifest.Metadata, again.Metadata);
        Assert.Equal(manifest.Nodes.Select(n => (n.Id, n.NodeType, n.RuntimeHint, n.IsStreaming)), again.Nodes.Select(n => (n.Id, n.NodeType, n.RuntimeHint, n.IsStreaming)));
        Assert.Equal(manifest.Connections, again.Connections);
    }

    [Fact]
    public void TopologicalOrderIsStableForADag()
    {
        const string dag = """
            {"version":"v1","metadata":{"name":"dag"},
             "nodes":[{"id":"mix","node_type":"PassThrough"},{"id":"left","node_type":"PassThrough"},{"id":"in","node_type":"PassThrough"},{"id":"right","node_type":"PassThrough"}],
             "connections":[{"from":"in","to":"left"},{"from":"in","to":"right"},{"from":"left","to":"mix"},{"from":"right","to":"mix"}]}
            """;
        Assert.Equal(["in", "left", "right", "mix"], PipelineManifest.Parse(dag).TopologicalOrder());
    }

    internal static string Single(string kind, string? parameters, string extra = "")
    {
        var p = parameters is null ? string.Empty : $",\"params\":{parameters}";
        var e = string.IsNullOrEmpty(extra) ? string.Empty : "," + extra;
        return $$"""{"version":"v1","metadata":{"name":"single"},"nodes":[{"id":"n","node_type":"{{kind}}"{{p}}{{e}}}]}""";
    }

    internal sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
