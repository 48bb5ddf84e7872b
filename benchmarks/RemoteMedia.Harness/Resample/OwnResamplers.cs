using System.Runtime.InteropServices;
using System.Text;
using RemoteMedia.Nodes;

namespace RemoteMedia.Harness.Resample;

/// <summary>This project's AudioResampleNode through the public C# API: what users call.</summary>
internal sealed class NodeResampler(int inputRate, int outputRate, string quality, RuntimeHint runtime) : IResampler
{
    private readonly INodeExecutor node = NodeRegistry.Default.Create("AudioResampleNode",
        $$"""{"target_sample_rate":{{outputRate}},"quality":"{{quality}}"}""", runtime);
    private readonly AudioFormat format = AudioFormat.F32(inputRate, 1);

    public int Process(ReadOnlySpan<float> input, Span<float> output) =>
        node.Process(format, MemoryMarshal.AsBytes(input), MemoryMarshal.AsBytes(output)).Frames;

    public int Flush(Span<float> output) => node.Flush(MemoryMarshal.AsBytes(output)).Frames;

    public void Dispose() => node.Dispose();
}

/// <summary>
/// The same native node through the raw C ABI, declared here as a C user would (no SafeHandle, no
/// exception mapping): shows what the C# layer costs.
/// </summary>
internal sealed unsafe partial class RawAbiResampler : IResampler
{
    private const string Library = "remotemedia_native";
    private readonly uint inputRate;
    private nint node;

    [StructLayout(LayoutKind.Sequential)]
    private struct RmAudio
    {
        public void* Data;
        public uint Frames;
        public ushort Channels;
        public ushort Format;
        public uint SampleRate;
    }

    [LibraryImport(Library)]
    private static partial int rm_node_create(byte* kind, byte* config, nint* node);

    [LibraryImport(Library)]
    private static partial int rm_node_process(nint node, RmAudio* input, RmAudio* output);

    [LibraryImport(Library)]
    private static partial int rm_node_flush(nint node, RmAudio* output);

    [LibraryImport(Library)]
    private static partial void rm_node_destroy(nint node);

    public RawAbiResampler(int inputRate, int outputRate, string quality)
    {
        this.inputRate = (uint)inputRate;
        var kind = Encoding.UTF8.GetBytes("AudioResampleNode\0");
        var config = Encoding.UTF8.GetBytes($$"""{"target_sample_rate":{{outputRate}},"quality":"{{quality}}"}""" + "\0");
        nint created;
        fixed (byte* k = kind, c = config)
        {
            Check(rm_node_create(k, c, &created));
        }
        node = created;
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"rm_* returned {status}");
        }
    }

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        fixed (float* i = input, o = output)
        {
            var request = new RmAudio { Data = i, Frames = (uint)input.Length, Channels = 1, Format = 0, SampleRate = inputRate };
            var result = new RmAudio { Data = o, Frames = (uint)output.Length, Channels = 1, Format = 0 };
            Check(rm_node_process(node, &request, &result));
            return (int)result.Frames;
        }
    }

    public int Flush(Span<float> output)
    {
        fixed (float* o = output)
        {
            var result = new RmAudio { Data = o, Frames = (uint)output.Length, Channels = 1, Format = 0 };
            Check(rm_node_flush(node, &result));
            return (int)result.Frames;
        }
    }

    public void Dispose()
    {
        rm_node_destroy(node);
        node = 0;
    }
}
