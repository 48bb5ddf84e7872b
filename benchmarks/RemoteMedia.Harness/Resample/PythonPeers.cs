using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using RemoteMedia.Quality;

namespace RemoteMedia.Harness.Resample;

/// <summary>
/// The seed's Python baseline through Debian's /usr/bin/python3 (python3-resampy, python3-scipy). A warm
/// worker process takes one command per line, so its batch rounds and stream passes interleave with the
/// .NET rows; the first call in a fresh interpreter is measured in separate processes. The worker writes
/// outputs; the quality analysis is the same C# code as for every other row.
/// </summary>
internal sealed class PythonPeers : IDisposable
{
    public const string Python = "/usr/bin/python3";
    public static readonly string[] Methods = ["resampy kaiser_best", "scipy resample_poly"];
    private readonly string script = Path.Combine(AppContext.BaseDirectory, "Resample", "resample_peers.py");
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("rm-resample-");
    private readonly Dictionary<(int Rate, double Tone), string> toneFiles = [];
    private readonly int outputRate;
    private Process? worker;

    private PythonPeers(int outputRate) => this.outputRate = outputRate;

    /// <summary>Starts the worker on the harness's inputs, or returns null (with a note) if Python is unusable.</summary>
    public static PythonPeers? Start(int outputRate, Dictionary<int, float[]> stereoInputs, List<string> notes)
    {
        if (!File.Exists(Python))
        {
            notes.Add($"Python peers skipped: {Python} not found");
            return null;
        }
        var peers = new PythonPeers(outputRate);
        try
        {
            peers.StartWorker(stereoInputs);
            return peers;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            notes.Add("Python peers failed to start: " + e.Message);
            peers.Dispose();
            return null;
        }
    }

    private void StartWorker(Dictionary<int, float[]> stereoInputs)
    {
        var inputs = new Dictionary<string, string>();
        foreach (var (rate, stereo) in stereoInputs)
        {
            var path = Path.Combine(work.FullName, $"stereo_{rate}.f32");
            File.WriteAllBytes(path, MemoryMarshal.AsBytes(stereo.AsSpan()).ToArray());
            inputs[rate.ToString(CultureInfo.InvariantCulture)] = path;
        }
        var quality = new List<object>();
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
        var specPath = Path.Combine(work.FullName, "spec.json");
        File.WriteAllText(specPath, JsonSerializer.Serialize(new { output_rate = outputRate, inputs, stream_frames = 500, quality }));
        var info = StartInfo("serve", specPath);
        info.RedirectStandardInput = true;
        worker = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + Python);
    }

    private string Call(string command)
    {
        var process = worker ?? throw new InvalidOperationException("python worker not running");
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        return process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"python worker ended on '{command}': {process.StandardError.ReadToEnd()}");
    }

    /// <summary>One batch run (downmix + resample of the 10 s chunk), timed inside Python, in ms.</summary>
    public double Batch(int method, int rate) => double.Parse(Call($"batch {method} {rate}"), CultureInfo.InvariantCulture);

    /// <summary>One stream pass: 500 frames of 20 ms, each resampled on its own (stateless API), ns per frame.</summary>
    public IEnumerable<double> Stream(int method, int rate) =>
        Call($"stream {method} {rate}").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture));

    /// <summary>Quality and first-call figures, added to the rows that already hold the interleaved timings.</summary>
    public void Finish(IReadOnlyList<ResultRow> rows, IEnumerable<int> rates, Dictionary<int, float[]> stereoInputs)
    {
        if (Call("quality") != "ok")
        {
            throw new InvalidOperationException("python worker: quality outputs failed");
        }
        for (var m = 0; m < Methods.Length; m++)
        {
            var method = Methods[m];
            foreach (var rate in rates)
            {
                rows[m].Quality.Add(ResampleBenchmark.MeasureQuality(rate, (tone, r) =>
                    MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(toneFiles[(r, tone)] + method.Replace(' ', '_') + ".f32")).ToArray()));
            }
            MeasureFirstCall(method, stereoInputs[48000], rows[m]);
        }
    }

    /// <summary>Import and first-call cost in a fresh interpreter (median of 3), 10 s of 48 kHz mono.</summary>
    private void MeasureFirstCall(string method, float[] stereo, ResultRow row)
    {
        var mono = new float[stereo.Length / 2];
        ResampleBenchmark.Downmix(stereo, mono);
        var path = Path.Combine(work.FullName, "mono_48000.f32");
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(mono.AsSpan()).ToArray());
        var imports = new List<double>();
        var firsts = new List<double>();
        var seconds = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            using var doc = JsonDocument.Parse(RunOnce("first-call", method, path, "48000"));
            imports.Add(doc.RootElement.GetProperty("import_ms").GetDouble());
            firsts.Add(doc.RootElement.GetProperty("first_call_ms").GetDouble());
            seconds.Add(doc.RootElement.GetProperty("second_call_ms").GetDouble());
        }
        row.ImportMs = imports.Order().ElementAt(1);
        row.FirstCallMs = firsts.Order().ElementAt(1);
        row.SecondCallMs = seconds.Order().ElementAt(1);
    }

    private ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        // Debian's interpreter must not see a pyenv environment from PATH.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        return info;
    }

    private string RunOnce(params string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("cannot start " + Python);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    public void Dispose()
    {
        if (worker is { HasExited: false })
        {
            worker.StandardInput.WriteLine("quit");
            worker.StandardInput.Flush();
            if (!worker.WaitForExit(5000))
            {
                worker.Kill();
            }
        }
        worker?.Dispose();
        work.Delete(recursive: true);
    }
}
