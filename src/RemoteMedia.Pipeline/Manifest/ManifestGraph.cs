namespace RemoteMedia.Pipeline.Manifest;

/// <summary>The graph rules of a manifest: at least one node, unique ids, connections between existing nodes, no cycles.</summary>
internal static class ManifestGraph
{
    public static void Validate(PipelineManifest manifest)
    {
        if (manifest.Version != PipelineManifest.SupportedVersion)
        {
            throw ManifestReader.Invalid($"unsupported manifest version \"{manifest.Version}\"; this runtime reads \"{PipelineManifest.SupportedVersion}\"");
        }
        if (manifest.Nodes.Count == 0)
        {
            throw ManifestReader.Invalid("a pipeline needs at least one node");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in manifest.Nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                throw ManifestReader.Invalid("node ids must not be empty");
            }
            if (!ids.Add(node.Id))
            {
                throw ManifestReader.Invalid($"duplicate node id '{node.Id}'");
            }
        }
        var edges = new HashSet<(string, string)>();
        foreach (var connection in manifest.Connections)
        {
            if (!ids.Contains(connection.From))
            {
                throw ManifestReader.Invalid($"connection {connection.From} -> {connection.To}: 'from' names no node ('{connection.From}')");
            }
            if (!ids.Contains(connection.To))
            {
                throw ManifestReader.Invalid($"connection {connection.From} -> {connection.To}: 'to' names no node ('{connection.To}')");
            }
            if (connection.From == connection.To)
            {
                throw ManifestReader.Invalid($"cycle: node '{connection.From}' is connected to itself");
            }
            if (!edges.Add((connection.From, connection.To)))
            {
                throw ManifestReader.Invalid($"duplicate connection {connection.From} -> {connection.To}");
            }
        }
        _ = TopologicalOrder(manifest);
    }

    /// <summary>
    /// The effective edges: the declared connections, or, when a manifest with several nodes declares none,
    /// a linear chain in declaration order (old manifests listed chains that way).
    /// </summary>
    public static IReadOnlyList<ManifestConnection> EffectiveConnections(PipelineManifest manifest)
    {
        if (manifest.Connections.Count > 0 || manifest.Nodes.Count < 2)
        {
            return manifest.Connections;
        }
        return manifest.Nodes.Zip(manifest.Nodes.Skip(1), (a, b) => new ManifestConnection(a.Id, b.Id)).ToList();
    }

    /// <summary>Kahn's algorithm, taking ready nodes in declaration order so the order is deterministic.</summary>
    public static IReadOnlyList<string> TopologicalOrder(PipelineManifest manifest)
    {
        var connections = EffectiveConnections(manifest);
        var indegree = manifest.Nodes.ToDictionary(n => n.Id, _ => 0, StringComparer.Ordinal);
        foreach (var c in connections)
        {
            indegree[c.To]++;
        }
        var order = new List<string>(manifest.Nodes.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < manifest.Nodes.Count)
        {
            var next = manifest.Nodes.FirstOrDefault(n => !done.Contains(n.Id) && indegree[n.Id] == 0);
            if (next is null)
            {
                throw ManifestReader.Invalid($"cycle in connections: {DescribeCycle(manifest, connections, done)}");
            }
            done.Add(next.Id);
            order.Add(next.Id);
            foreach (var c in connections.Where(c => c.From == next.Id))
            {
                indegree[c.To]--;
            }
        }
        return order;
    }

    private static string DescribeCycle(PipelineManifest manifest, IReadOnlyList<ManifestConnection> connections, HashSet<string> done)
    {
        // Every remaining node has an incoming edge from another remaining node: walk backwards until a node repeats.
        var start = manifest.Nodes.First(n => !done.Contains(n.Id)).Id;
        var path = new List<string> { start };
        var current = start;
        while (true)
        {
            current = connections.First(c => c.To == current && !done.Contains(c.From)).From;
            var seen = path.IndexOf(current);
            if (seen >= 0)
            {
                // path[i + 1] feeds path[i], and current (= path[seen]) feeds the last one.
                var cycle = new List<string> { current };
                cycle.AddRange(path.Skip(seen + 1).Reverse());
                cycle.Add(current);
                return string.Join(" -> ", cycle);
            }
            path.Add(current);
        }
    }
}
