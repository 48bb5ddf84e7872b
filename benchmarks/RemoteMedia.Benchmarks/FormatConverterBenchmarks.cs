using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using RemoteMedia.Interop;
using RemoteMedia.Nodes.Managed;
using RemoteMedia.Nodes.Native;

namespace RemoteMedia.Benchmarks;

/// <summary>
/// One 20 ms stereo 48 kHz f32 frame (960 frames) to mono i16 through FormatConverterNode: native through
/// the SDK, native through the raw ABI, managed; plus the bare P/Invoke round trip, to show what the
/// boundary costs next to the kernel.
/// </summary>
[MemoryDiagnoser]
public unsafe class FormatConverterBenchmarks
{
    private const int Frames = 960;
    private const string Config = """{"target_format":"i16","target_channels":1}""";
    private readonly float[] input = new float[Frames * 2];
    private readonly byte[] output = new byte[Frames * 2];
    private NativeNode native = null!;
    private ManagedFormatConverter managed = null!;
    private SafeNodeHandle raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            throw new InvalidOperationException($"native runtime unavailable: {RemoteMediaRuntime.Status.Description}");
        }
        var random = new Random(42);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 2) - 1);
        }
        native = new NativeNode("FormatConverterNode", Config);
        managed = new ManagedFormatConverter(Config);
        raw = SafeNodeHandle.Create("FormatConverterNode", Config);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        native.Dispose();
        raw.Dispose();
    }

    [Benchmark(Description = "P/Invoke round trip (rm_abi_version)")]
    public uint PInvokeRoundTrip() => NativeMethods.rm_abi_version();

    [Benchmark(Description = "native, raw ABI (rm_node_process)")]
    public int NativeRawAbi()
    {
        fixed (float* i = input)
        fixed (byte* o = output)
        {
            var src = new RmAudio { data = i, frames = Frames, channels = 2, format = 0, sample_rate = 48000 };
            var dst = new RmAudio { data = o, frames = Frames, channels = 1, format = 1 };
            return NativeMethods.rm_node_process(raw.Node, &src, &dst);
        }
    }

    [Benchmark(Description = "native, SDK (INodeExecutor)")]
    public int NativeSdk() => native.Process(AudioFormat.F32(48000, 2), MemoryMarshal.AsBytes(input.AsSpan()), output).Frames;

    [Benchmark(Description = "native, SDK, 1 frame (call overhead)")]
    public int NativeSdkOneFrame() => native.Process(AudioFormat.F32(48000, 2), MemoryMarshal.AsBytes(input.AsSpan(0, 2)), output).Frames;

    [Benchmark(Description = "managed, 1 frame")]
    public int ManagedOneFrame() => managed.Process(AudioFormat.F32(48000, 2), MemoryMarshal.AsBytes(input.AsSpan(0, 2)), output).Frames;

    [Benchmark(Baseline = true, Description = "managed (INodeExecutor)")]
    public int Managed() => managed.Process(AudioFormat.F32(48000, 2), MemoryMarshal.AsBytes(input.AsSpan()), output).Frames;
}
