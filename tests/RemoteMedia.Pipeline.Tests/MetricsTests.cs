using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RemoteMedia.Pipeline.Tests;

public class MetricsTests
{
    private static AudioPipeline Build(bool metrics, string id = "metrics", RuntimeHint converter = RuntimeHint.Managed) =>
        AudioPipeline.CreateBuilder(id).WithOptions(new PipelineOptions { Registry = TestNodes.Registry(), EnableMetrics = metrics, MaxBlockFrames = 160 })
            .Then("mono", "FormatConverterNode", """{"target_channels":1}""", converter)
            .Then("blocks", "AudioBuffer", """{"buffer_size_samples":100}""")
            .Build();

    [Fact]
    public void GetMetricsHasTheOriginalShapeAndCountsEveryCall()
    {
        using var pipeline = Build(metrics: true);
        pipeline.Run(AudioFormat.F32(16000, 2), new byte[1000 * 8]);
        using var json = JsonDocument.Parse(pipeline.GetMetrics());
        var root = json.RootElement;
        Assert.Equal("metrics", root.GetProperty("pipeline_id").GetString());
        Assert.Equal(8, root.GetProperty("total_executions").GetInt64()); // 7 blocks of <= 160 frames + the finish
        Assert.True(root.GetProperty("total_duration_us").GetDouble() > 0);
        Assert.True(root.GetProperty("metrics_overhead_us").GetDouble() > 0);
        var nodes = root.GetProperty("node_metrics").EnumerateArray().ToList();
        Assert.Equal(["mono", "blocks"], nodes.Select(n => n.GetProperty("node_id").GetString()));
        var mono = nodes[0];
        Assert.Equal(8, mono.GetProperty("execution_count").GetInt64()); // 7 process + 1 flush
        Assert.Equal(8, mono.GetProperty("success_count").GetInt64());
        Assert.Equal(0, mono.GetProperty("error_count").GetInt64());
        Assert.Equal(1.0, mono.GetProperty("success_rate").GetDouble());
        Assert.Equal(1000, mono.GetProperty("frames_in").GetInt64());
        Assert.Equal(1000, mono.GetProperty("frames_out").GetInt64());
        Assert.Equal("managed", mono.GetProperty("runtime").GetString());
        foreach (var field in new[] { "total_duration_us", "avg_duration_us", "min_duration_us", "max_duration_us" })
        {
            Assert.True(mono.GetProperty(field).GetDouble() >= 0, field);
        }
        Assert.True(mono.GetProperty("max_duration_us").GetDouble() >= mono.GetProperty("min_duration_us").GetDouble());
        Assert.Equal(8, mono.GetProperty("duration_histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        var blocks = nodes[1];
        Assert.Equal(1000, blocks.GetProperty("frames_in").GetInt64());
        Assert.Equal(1000, blocks.GetProperty("frames_out").GetInt64());
        Assert.Equal(JsonValueKind.String, blocks.GetProperty("fallback_reason").ValueKind); // AudioBuffer is managed-only
    }

    [Fact]
    public void MetricsOffRecordsNothing()
    {
        using var pipeline = Build(metrics: false);
        pipeline.Run(AudioFormat.F32(16000, 2), new byte[1000 * 8]);
        Assert.All(pipeline.NodeMetrics, m => Assert.Equal(0, m.Calls));
        using var json = JsonDocument.Parse(pipeline.GetMetrics());
        Assert.False(json.RootElement.GetProperty("metrics_enabled").GetBoolean());
    }

    [Fact]
    public void InstrumentsPublishThroughSystemDiagnosticsMetrics()
    {
        var id = "instruments-" + Guid.NewGuid().ToString("N");
        var calls = new Dictionary<string, long>();
        var durations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "RemoteMedia.Pipeline" && instrument.Meter.Tags?.Any(t => (string?)t.Value == id) == true)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "remotemedia.pipeline.node.calls")
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "node_id")
                    {
                        calls[(string)tag.Value!] = value;
                    }
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            if (instrument.Name == "remotemedia.pipeline.node.duration")
            {
                durations++;
            }
        });
        listener.Start();
        using var pipeline = Build(metrics: true, id);
        pipeline.Run(AudioFormat.F32(16000, 2), new byte[320 * 8]);
        listener.RecordObservableInstruments();
        Assert.Equal(3, calls["mono"]); // two blocks + flush
        Assert.Equal(pipeline.NodeMetrics.Sum(m => m.Calls), durations);
    }

    [Theory]
    [InlineData(RuntimeHint.Managed)]
    [InlineData(RuntimeHint.Auto)] // native FormatConverterNode when the library loads
    public void TheStreamingHotPathDoesNotAllocate(RuntimeHint converter)
    {
        using var pipeline = Build(metrics: true, converter: converter);
        var block = new byte[160 * 8];
        using var session = pipeline.OpenSession(AudioFormat.F32(16000, 2), static (_, _, _) => { });
        for (var i = 0; i < 50; i++)
        {
            session.Push(block); // warm up: JIT, queue growth to its steady size
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            session.Push(block);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public class SampledTimingTests
{
    [Fact]
    public void SampledTimingKeepsCountsExactAndTimesOnePushInN()
    {
        using var pipeline = AudioPipeline.CreateBuilder("sampled")
            .WithOptions(new PipelineOptions { Registry = TestNodes.Registry(), TimingSampleInterval = 4, MaxBlockFrames = 10 })
            .Then("a", "PassThrough").Then("b", "PassThrough").Build();
        pipeline.Run(AudioFormat.F32(8000, 1), new byte[80 * 4]); // 8 pushes (2 timed) + finish (always timed)
        var a = pipeline.NodeMetrics[0];
        Assert.Equal(9, a.Calls);
        Assert.Equal(3, a.TimedCalls);
        Assert.Equal(80, a.FramesIn);
        Assert.Contains("\"timing_sample_interval\": 4", pipeline.GetMetrics());
    }
}
