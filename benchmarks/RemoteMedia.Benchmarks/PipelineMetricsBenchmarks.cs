using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using RemoteMedia.Pipeline;
using RemoteMedia.Pipeline.Metrics;

namespace RemoteMedia.Benchmarks;

/// <summary>
/// What per-node metrics cost: the same streaming push through a chain of 8 PassThrough nodes (16 mono frames,
/// so the nodes themselves cost little) with metrics on and off. Results are per node call (OperationsPerInvoke),
/// so "on" minus "off" is the per-call overhead; the target is at most 100 ns. Also: metrics on with timing sampled
/// 1 push in 16 (counters still exact), the bookkeeping alone (one clock read and one record), and the clock read
/// alone, because on some VMs Stopwatch.GetTimestamp is the whole cost. On a shared machine compare Min and Median:
/// other processes only ever add time.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PipelineMetricsBenchmarks
{
    private const int NodeCount = 8;
    private const int Frames = 16;
    private readonly byte[] block = new byte[Frames * sizeof(float)];
    private AudioPipeline withMetrics = null!;
    private AudioPipeline withoutMetrics = null!;
    private AudioPipeline withSampledTiming = null!;
    private PipelineSession on = null!;
    private PipelineSession sampled = null!;
    private PipelineSession off = null!;
    private NodeMetrics scratch = null!;

    [GlobalSetup]
    public void Setup()
    {
        withMetrics = Chain(metrics: true);
        withoutMetrics = Chain(metrics: false);
        withSampledTiming = Chain(metrics: true, timingInterval: 16);
        sampled = withSampledTiming.OpenSession(AudioFormat.F32(16000, 1), static (_, _, _) => { });
        on = withMetrics.OpenSession(AudioFormat.F32(16000, 1), static (_, _, _) => { });
        off = withoutMetrics.OpenSession(AudioFormat.F32(16000, 1), static (_, _, _) => { });
        scratch = withMetrics.NodeMetrics[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        on.Dispose();
        off.Dispose();
        sampled.Dispose();
        withSampledTiming.Dispose();
        withMetrics.Dispose();
        withoutMetrics.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeCount, Description = "node call, metrics off")]
    public void MetricsOff() => off.Push(block);

    [Benchmark(OperationsPerInvoke = NodeCount, Description = "node call, metrics on")]
    public void MetricsOn() => on.Push(block);

    [Benchmark(OperationsPerInvoke = NodeCount, Description = "node call, metrics on, timing 1 push in 16")]
    public void MetricsOnSampledTiming() => sampled.Push(block);

    [Benchmark(Description = "bookkeeping only (1 clock read + record)")]
    public void RecordOnly() => scratch.Record(Stopwatch.GetTimestamp() & 0xFF, Frames, Frames, failed: false);

    [Benchmark(Description = "clock read only (Stopwatch.GetTimestamp)")]
    public long ClockRead() => Stopwatch.GetTimestamp();

    private static AudioPipeline Chain(bool metrics, int timingInterval = 1)
    {
        var builder = AudioPipeline.CreateBuilder(metrics ? "metrics-on" : "metrics-off")
            .WithOptions(new PipelineOptions { EnableMetrics = metrics, MaxBlockFrames = Frames, TimingSampleInterval = timingInterval });
        for (var i = 0; i < NodeCount; i++)
        {
            builder.Then($"pass{i}", "PassThrough");
        }
        return builder.Build();
    }
}
