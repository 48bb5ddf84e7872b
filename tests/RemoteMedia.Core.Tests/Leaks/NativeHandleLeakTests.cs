using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Leaks;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialNativeCollection
{
    public const string Name = "serial native (counts live native nodes)";
}

/// <summary>Every native node is released: by Dispose, by the finalizer, and on failed creation.</summary>
[Collection(SerialNativeCollection.Name)]
public class NativeHandleLeakTests
{
    private const string Config = """{"target_format":"i16"}""";

    [NativeFact]
    public void Disposed_and_abandoned_nodes_release_their_native_state()
    {
        var baseline = RemoteMediaRuntime.LiveNativeNodes;
        var nodes = Enumerable.Range(0, 200).Select(_ => RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", Config, RuntimeHint.Native)).ToList();
        Assert.Equal(baseline + 200, RemoteMediaRuntime.LiveNativeNodes);
        foreach (var node in nodes)
        {
            node.Dispose();
            node.Dispose(); // a second dispose is harmless
        }
        Assert.Equal(baseline, RemoteMediaRuntime.LiveNativeNodes);

        CreateAndAbandon(100);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(baseline, RemoteMediaRuntime.LiveNativeNodes);
    }

    [NativeFact]
    public void Failed_creation_leaves_nothing_behind()
    {
        var baseline = RemoteMediaRuntime.LiveNativeNodes;
        for (var i = 0; i < 50; i++)
        {
            Assert.Throws<RemoteMediaException>(() => RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", """{"bogus":1}""", RuntimeHint.Native));
            Assert.Throws<RemoteMediaException>(() => RemoteMedia.Nodes.Nodes.Create("Nope", "{}", RuntimeHint.Native));
        }
        Assert.Equal(baseline, RemoteMediaRuntime.LiveNativeNodes);
    }

    [NativeFact]
    public void Using_a_disposed_node_throws_object_disposed()
    {
        var node = RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", Config, RuntimeHint.Native);
        node.Dispose();
        Assert.Throws<ObjectDisposedException>(() => node.Process(AudioFormat.F32(16000, 1), new byte[4], new byte[4]));
        Assert.Throws<ObjectDisposedException>(() => node.Reset());
    }

    private static void CreateAndAbandon(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", Config, RuntimeHint.Native);
        }
    }
}
