using RemoteMedia.Nodes;

namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>Drives a VADNode over a buffer and collects its per-frame decisions.</summary>
public static class VadRunner
{
    public static INodeExecutor Create(string config, RuntimeHint hint) => NodeRegistry.Default.Create("VADNode", config, hint);

    /// <summary>Feeds mono <paramref name="samples"/> in chunks of <paramref name="chunk"/> frames, flushes, and returns the decisions.</summary>
    public static List<bool> Decisions(INodeExecutor node, float[] samples, int rate, int chunk)
    {
        var decisions = new List<bool>(samples.Length / 160);
        var output = new float[chunk + rate / 10];
        var events = new NodeEvent[256];
        for (var offset = 0; offset < samples.Length; offset += chunk)
        {
            var block = samples.AsSpan(offset, Math.Min(chunk, samples.Length - offset));
            node.Process(block, 1, rate, output.AsSpan());
            Drain(node, events, decisions);
        }
        node.Flush(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.AsSpan()));
        Drain(node, events, decisions);
        return decisions;
    }

    private static void Drain(INodeExecutor node, NodeEvent[] events, List<bool> decisions)
    {
        int count;
        do
        {
            count = node.ReadEvents(events);
            for (var i = 0; i < count; i++)
            {
                if (events[i].Kind == NodeEventKind.VoiceActivity)
                {
                    decisions.Add(events[i].Value == 1.0);
                }
            }
        }
        while (count == events.Length);
    }
}
