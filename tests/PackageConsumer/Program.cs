using System.Globalization;
using System.Runtime.InteropServices;
using RemoteMedia;
using RemoteMedia.Nodes;

// Prints which runtime the package gave us and a fingerprint of the results, one "key: value" per line.
var status = RemoteMediaRuntime.Status;
Console.WriteLine($"runtime: {(status.IsNativeAvailable ? "native" : "managed")}");
Console.WriteLine($"reason: {status.Reason}");

const int Rate = 48000;
var input = new float[Rate * 2 * 2]; // 2 s stereo: a 440 Hz tone in the second half, silence before
for (var i = Rate; i < Rate * 2; i++)
{
    var v = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / Rate));
    input[2 * i] = v;
    input[(2 * i) + 1] = v;
}

using var converter = Nodes.Create("FormatConverterNode", """{"target_format":"f32","target_channels":1}""");
var format = AudioFormat.F32(Rate, 2);
var shape = converter.GetOutputShape(format, input.Length / 2);
var output = new byte[shape.MaxBytes];
var chunk = converter.Process(format, MemoryMarshal.AsBytes(input.AsSpan()), output);
var mono = MemoryMarshal.Cast<byte, float>(output.AsSpan(0, chunk.ByteCount));
double energy = 0;
foreach (var s in mono)
{
    energy += s * (double)s;
}
Console.WriteLine($"node runtime: {converter.Runtime.ToString().ToLowerInvariant()}");
Console.WriteLine($"frames: {chunk.Frames}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rms: {Math.Sqrt(energy / mono.Length):F9}"));
