using RemoteMedia.Audio.Wav;

namespace RemoteMedia.Pipeline.Tests;

public class FileRunTests : IDisposable
{
    private readonly string dir = TestSignals.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void RunsAWavFileThroughAManifestAndReportsProgress()
    {
        var input = Path.Combine(dir, "in.wav");
        var output = Path.Combine(dir, "out.wav");
        var manifest = Path.Combine(dir, "pipeline.json");
        WavWriter.WriteAll(input, AudioFormat.S16(48000, 2), TestSignals.Bytes(TestSignals.Sine(48000, 2, 48000)).AsSpan(0, 48000 * 4));
        File.WriteAllText(manifest, """
            {"version":"v1","metadata":{"name":"file"},
             "nodes":[{"id":"mono","node_type":"FormatConverterNode","params":{"target_channels":1,"target_format":"f32"}},
                      {"id":"blocks","node_type":"AudioBuffer","params":{"buffer_size_samples":480}}],
             "connections":[{"from":"mono","to":"blocks"}]}
            """);
        using var pipeline = AudioPipeline.Load(manifest, new PipelineOptions { MaxBlockFrames = 4096 });
        var reports = new List<(long Done, long Total)>();
        pipeline.RunFile(input, output, (done, total) => reports.Add((done, total)));
        using var reader = WavReader.Open(output);
        Assert.Equal(AudioFormat.F32(48000, 1), reader.Format);
        Assert.Equal(48000, reader.TotalFrames); // 48000 stereo i16 frames in
        Assert.Equal((48000L, 48000L), reports[^1]);
        Assert.Equal(12, reports.Count); // ceil(48000 / 4096) blocks
        Assert.False(File.Exists(output + ".partial"));
    }
}
