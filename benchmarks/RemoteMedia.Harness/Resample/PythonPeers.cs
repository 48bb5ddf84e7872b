using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RemoteMedia.Quality;

namespace RemoteMedia.Harness.Resample;

/// <summary>
/// The seed's Python baseline through Debian's /usr/bin/python3 (python3-resampy, python3-scipy): warm
/// batch and per-frame timings, and the first call in a fresh interpreter. The script writes outputs;
/// the quality analysis is the same C# code as for every other row.
/// </summary>
internal sealed class PythonPeers(bool quick, int outputRate)
{
    public const string Python = "/usr/bin/python3";
    private static readonly string[] Methods = ["resampy kaiser_best", "scipy resample_poly"];

    public List<ResultRow> Run(Dictionary<int, float[]> stereoInputs, List<string> notes)
    {
        var rows = new List<ResultRow>();
        var script = Path.Combine(AppContext.BaseDirectory, "Resample", "resample_peers.py");
        if (!File.Exists(Python))
        {
            notes.Add($"Python peers skipped: {Python} not found");
            return rows;
        }
        var work = Directory.CreateTempSubdirectory("rm-resample-");
        try
        {
            var inputs = new Dictionary<string, string>();
            foreach (var (rate, stereo) in stereoInputs)
            {
                var path = Path.Combine(work.FullName, $"stereo_{rate}.f32");
                File.WriteAllBytes(path, MemoryMarshal.AsBytes(stereo.AsSpan()).ToArray());
                inputs[rate.ToString(System.Globalization.CultureInfo.InvariantCulture)] = path;
            }
            var quality = new List<object>();
            var toneFiles = new Dictionary<(int Rate, double Tone), string>();
            foreach (var rate in stereoInputs.Keys)
            {
                foreach (var tone in SignalQuality.PassbandTones.Concat(SignalQuality.AliasTones))
                {
                    var prefix = Path.Combine(work.FullName, $"tone_{rate}_{tone}_");
                    var input = prefix + "in.f32";
                    File.WriteAllBytes(input, MemoryMarshal.AsBytes(SignalQuality.Sine(rate, tone, 3.01).AsSpan()).ToArray());
                    quality.Add(new { rate, input, output_prefix = prefix });
                    toneFiles[(rate, tone)] = prefix;
                }
            }
            var spec = new
            {
                output_rate = outputRate,
                inputs,
                warmup = quick ? 1 : 3,
                runs = quick ? 5 : 25,
                stream_passes = quick ? 1 : 3,
                stream_frames = 500,
                quality,
            };
            var specPath = Path.Combine(work.FullName, "spec.json");
            File.WriteAllText(specPath, JsonSerializer.Serialize(spec));
            Console.WriteLine("python peers: warm timings (this takes a while)");
            using var results = JsonDocument.Parse(RunPython(script, "bench", specPath));
            foreach (var method in Methods)
            {
                var row = new ResultRow($"Python {method}", "Python (seed baseline)", stateless: true);
                foreach (var entry in results.RootElement.EnumerateArray().Where(e => e.GetProperty("method").GetString() == method))
                {
                    var rate = entry.GetProperty("rate").GetInt32();
                    var batch = entry.GetProperty("batch_ms").EnumerateArray().Select(e => e.GetDouble()).Order().ToList();
                    var frames = entry.GetProperty("frame_ns").EnumerateArray().Select(e => e.GetDouble()).Order().ToList();
                    var passes = Math.Max(1, frames.Count / 500);
                    row.Speed.Add(new SpeedResult(rate, ResampleBenchmark.Percentile(batch, 0.5), batch[0], batch.Count,
                        ResampleBenchmark.Percentile(frames, 0.5), ResampleBenchmark.Percentile(frames, 0.99), frames[^1],
                        frames.Sum() / passes / 1e6, frames.Count));
                    row.Quality.Add(ResampleBenchmark.MeasureQuality(rate, (tone, r) =>
                    {
                        var bytes = File.ReadAllBytes(toneFiles[(r, tone)] + method.Replace(' ', '_') + ".f32");
                        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                    }));
                }
                MeasureFirstCall(script, method, stereoInputs, work.FullName, row);
                rows.Add(row);
                Console.WriteLine($"  {row.Name}: done");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or IOException or System.ComponentModel.Win32Exception)
        {
            notes.Add("Python peers failed: " + e.Message);
        }
        finally
        {
            work.Delete(recursive: true);
        }
        return rows;
    }

    /// <summary>Import and first-call cost in a fresh interpreter (median of 3), 10 s of 48 kHz mono.</summary>
    private void MeasureFirstCall(string script, string method, Dictionary<int, float[]> stereoInputs, string work, ResultRow row)
    {
        var stereo = stereoInputs[48000];
        var mono = new float[stereo.Length / 2];
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = 0.5f * (stereo[2 * i] + stereo[2 * i + 1]);
        }
        var path = Path.Combine(work, "mono_48000.f32");
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(mono.AsSpan()).ToArray());
        var imports = new List<double>();
        var firsts = new List<double>();
        var seconds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            using var doc = JsonDocument.Parse(RunPython(script, "first-call", method, path, "48000"));
            imports.Add(doc.RootElement.GetProperty("import_ms").GetDouble());
            firsts.Add(doc.RootElement.GetProperty("first_call_ms").GetDouble());
            seconds.Add(doc.RootElement.GetProperty("second_call_ms").GetDouble());
        }
        row.ImportMs = imports.Order().ElementAt(1);
        row.FirstCallMs = firsts.Order().ElementAt(1);
        row.SecondCallMs = seconds.Order().ElementAt(1);
    }

    private static string RunPython(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        // Debian's interpreter must not see the pyenv environment on PATH.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + Python);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }
}
