using System.Globalization;
using System.Runtime.InteropServices;
using RemoteMedia;
using RemoteMedia.Pipeline;

// A consumer of the packages: a resample + VAD pipeline over 3 s of 48 kHz stereo (1 s silence, 1 s of a
// 440 Hz tone, 1 s silence). Prints which runtime it got and a fingerprint of the results, "key: value" per line.
var status = RemoteMediaRuntime.Status;
Console.WriteLine($"runtime: {(status.IsNativeAvailable ? "native" : "managed")}");
Console.WriteLine($"reason: {status.Reason}");

const int Rate = 48000;
var input = new float[Rate * 3 * 2];
for (var i = Rate; i < Rate * 2; i++)
{
    var v = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / Rate));
    input[2 * i] = v;
    input[(2 * i) + 1] = v;
}

using var pipeline = AudioPipeline.CreateBuilder("consumer")
    .Then("mono", "FormatConverterNode", """{"target_format":"f32","target_channels":1}""")
    .Then("to16k", "AudioResampleNode", """{"target_sample_rate":16000,"quality":"high"}""")
    .Then("vad", "VADNode", """{"mode":"energy"}""")
    .Build();
var result = pipeline.Run(AudioFormat.F32(Rate, 2), MemoryMarshal.AsBytes(input.AsSpan()));
var output = MemoryMarshal.Cast<byte, float>(result.Output.AsSpan());
double energy = 0;
foreach (var s in output)
{
    energy += s * (double)s;
}
var speechFrames = result.Events.Count(e => e.Event.Kind == NodeEventKind.VoiceActivity && e.Event.Value > 0.5);
Console.WriteLine($"node runtimes: {string.Join(",", pipeline.Nodes.Select(n => n.Runtime.ToString().ToLowerInvariant()))}");
Console.WriteLine($"output: {result.OutputFormat}, {result.OutputFrames} frames");
Console.WriteLine($"speech frames: {speechFrames}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rms: {Math.Sqrt(energy / output.Length):R}"));
