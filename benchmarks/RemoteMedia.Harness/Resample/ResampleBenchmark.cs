using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RemoteMedia.Quality;

namespace RemoteMedia.Harness.Resample;

/// <summary>
/// Issue 4 item 5: every resampler on identical inputs, in one run, in interleaved rounds.
/// batch = 10 s stereo chunk -> downmix -> 16 kHz mono (create + process + flush + dispose);
/// stream = 500 x 20 ms mono frames through one stateful resampler (ns per frame).
/// </summary>
internal sealed class ResampleBenchmark(bool quick)
{
    public const int OutputRate = 16000;
    private static readonly int[] InputRates = [48000, 44100];
    private const int StreamFrames = 500;
    private readonly int warmupRounds = quick ? 1 : 3;
    private readonly int batchRounds = quick ? 5 : 25;
    private readonly int streamPasses = quick ? 2 : 6;

    public ResampleRunReport Run()
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var contestants = Contestants(out var notes);
        var rows = contestants.Select(c => new ResultRow(c.Name, c.Group, false)).ToList();
        var inputs = InputRates.ToDictionary(rate => rate, StereoChunk);

        notes.Add($"downmix alone (10 s 48 kHz stereo -> mono, part of every batch row): {DownmixMs(inputs[48000]):0.###} ms");
        using var python = PythonPeers.Start(OutputRate, inputs, notes);
        var pythonRows = python is null ? [] : PythonPeers.Methods.Select(m => new ResultRow($"Python {m}", "Python (seed baseline)", stateless: true)).ToList();
        Console.WriteLine($"batch: {warmupRounds} warm-up + {batchRounds} rounds over {contestants.Count + pythonRows.Count} rows x {InputRates.Length} rates");
        var batch = MeasureBatch(contestants, inputs, python);
        Console.WriteLine($"stream: 1 warm-up + {streamPasses} passes of {StreamFrames} frames");
        var stream = MeasureStream(contestants, inputs, python);
        for (var i = 0; i < contestants.Count + pythonRows.Count; i++)
        {
            var row = i < contestants.Count ? rows[i] : pythonRows[i - contestants.Count];
            foreach (var rate in InputRates)
            {
                row.Speed.Add(Summarize(rate, batch[(i, rate)], stream[(i, rate)]));
            }
            if (i < contestants.Count)
            {
                var contestant = contestants[i];
                foreach (var rate in InputRates)
                {
                    row.Quality.Add(MeasureQuality(rate, (tone, inputRate) => ResampleOnce(contestant, SignalQuality.Sine(inputRate, tone, 3.01), inputRate)));
                }
            }
            Console.WriteLine($"  {row.Name}: done");
        }
        python?.Finish(pythonRows, InputRates, inputs);
        rows.AddRange(pythonRows);

        var machine = MachineInfo.Describe();
        machine["load_average_at_start"] = loadAtStart;
        machine["load_average_at_end"] = MachineInfo.LoadAverage();
        var report = new ResampleRunReport
        {
            Machine = machine,
            Settings = new()
            {
                ["mode"] = quick ? "quick" : "full",
                ["batch"] = $"10 s stereo f32 -> downmix -> {OutputRate} Hz mono; create+process+flush+dispose; median of {batchRounds} rounds after {warmupRounds} warm-up, rows interleaved within each round",
                ["stream"] = $"{StreamFrames} x 20 ms mono frames into one stateful resampler; median/p99 over {streamPasses} passes after 1 warm-up pass; creation excluded",
                ["quality"] = "full-scale sines of 3.01 s at 997/3397/6997 Hz (THD+N after a least-squares sine fit) and 9001/12007/19997 Hz (alias = total output level); 0.5 s skipped at each output edge",
            },
            Rows = rows,
        };
        report.Notes.AddRange(notes);
        return report;
    }

    private static List<Contestant> Contestants(out List<string> notes)
    {
        notes = [];
        var list = new List<Contestant>();
        if (RemoteMediaRuntime.Status.IsNativeAvailable)
        {
            foreach (var quality in new[] { "high", "medium", "low" })
            {
                list.Add(new($"RemoteMedia native {quality}", "this project", (i, o) => new NodeResampler(i, o, quality, RuntimeHint.Native)));
            }
            list.Add(new("RemoteMedia native high (raw C ABI)", "this project", (i, o) => new RawAbiResampler(i, o, "high")));
        }
        else
        {
            notes.Add("native runtime unavailable: " + RemoteMediaRuntime.Status);
        }
        list.Add(new("RemoteMedia managed high", "this project", (i, o) => new NodeResampler(i, o, "high", RuntimeHint.Managed)));
        list.Add(new("RemoteMedia managed low", "this project", (i, o) => new NodeResampler(i, o, "low", RuntimeHint.Managed)));
        var peers = new List<Contestant>
        {
            new("libsoxr HQ", "C peers", (i, o) => new SoxrResampler(i, o, SoxrResampler.HighQuality)),
            new("libsoxr VHQ", "C peers", (i, o) => new SoxrResampler(i, o, SoxrResampler.VeryHighQuality)),
            new("speexdsp q3", "C peers", (i, o) => new SpeexResampler(i, o, 3)),
            new("speexdsp q5", "C peers", (i, o) => new SpeexResampler(i, o, 5)),
            new("speexdsp q10", "C peers", (i, o) => new SpeexResampler(i, o, 10)),
            new("libsamplerate SINC_BEST", "C peers", (i, o) => new SampleRateResampler(i, o, SampleRateResampler.SincBest)),
            new("libsamplerate SINC_FASTEST", "C peers", (i, o) => new SampleRateResampler(i, o, SampleRateResampler.SincFastest)),
        };
        foreach (var peer in peers)
        {
            try
            {
                peer.Create(48000, OutputRate).Dispose();
                list.Add(peer);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
            {
                notes.Add($"{peer.Name} skipped: {e.Message}");
            }
        }
        return list;
    }

    /// <summary>A deterministic 10 s stereo program-like signal: two tone mixes plus noise, different per channel.</summary>
    private static float[] StereoChunk(int rate)
    {
        var frames = rate * 10;
        var noise = SignalQuality.Noise(frames * 2, (ulong)rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var t = (double)i / rate;
            samples[2 * i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * t) + 0.2 * Math.Sin(2 * Math.PI * 5100 * t) + 0.1 * noise[2 * i]);
            samples[2 * i + 1] = (float)(0.3 * Math.Sin(2 * Math.PI * 660 * t) + 0.2 * Math.Sin(2 * Math.PI * 11000 * t) + 0.1 * noise[2 * i + 1]);
        }
        return samples;
    }

    /// <summary>Stereo to mono, (L + R) / 2, vectorized like the peers' C harness so it does not pad every row's time.</summary>
    public static void Downmix(ReadOnlySpan<float> stereo, Span<float> mono)
    {
        var i = 0;
        if (Avx2.IsSupported)
        {
            ref var source = ref MemoryMarshal.GetReference(stereo);
            ref var target = ref MemoryMarshal.GetReference(mono);
            var half = Vector256.Create(0.5f);
            for (; i + 8 <= mono.Length; i += 8)
            {
                // hadd pairs adjacent samples (L+R) of two vectors; the 64-bit permute restores frame order.
                var pairs = Avx.HorizontalAdd(Vector256.LoadUnsafe(ref source, (nuint)(2 * i)), Vector256.LoadUnsafe(ref source, (nuint)(2 * i + 8)));
                var ordered = Avx2.Permute4x64(pairs.AsDouble(), 0b11_01_10_00).AsSingle();
                (ordered * half).StoreUnsafe(ref target, (nuint)i);
            }
        }
        for (; i < mono.Length; i++)
        {
            mono[i] = 0.5f * (stereo[2 * i] + stereo[2 * i + 1]);
        }
    }

    private static double DownmixMs(float[] stereo)
    {
        var mono = new float[stereo.Length / 2];
        Downmix(stereo, mono);
        for (var i = 0; i < mono.Length; i++)
        {
            if (mono[i] != 0.5f * (stereo[2 * i] + stereo[2 * i + 1]))
            {
                throw new InvalidOperationException($"vectorized downmix differs from (L + R) / 2 at frame {i}");
            }
        }
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Downmix(stereo, mono);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return Percentile(times, 0.5);
    }

    private Dictionary<(int, int), List<double>> MeasureBatch(List<Contestant> contestants, Dictionary<int, float[]> inputs, PythonPeers? python)
    {
        var results = new Dictionary<(int, int), List<double>>();
        var mono = new float[48000 * 10];
        var output = new float[OutputRate * 12];
        for (var round = 0; round < warmupRounds + batchRounds; round++)
        {
            for (var i = 0; i < contestants.Count; i++)
            {
                foreach (var rate in InputRates)
                {
                    var stereo = inputs[rate];
                    var monoSpan = mono.AsSpan(0, stereo.Length / 2);
                    var start = Stopwatch.GetTimestamp();
                    Downmix(stereo, monoSpan);
                    using (var resampler = contestants[i].Create(rate, OutputRate))
                    {
                        var written = resampler.Process(monoSpan, output);
                        resampler.Flush(output.AsSpan(written));
                    }
                    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (round >= warmupRounds)
                    {
                        (results.TryGetValue((i, rate), out var list) ? list : results[(i, rate)] = []).Add(elapsed);
                    }
                }
            }
            for (var m = 0; python is not null && m < PythonPeers.Methods.Length; m++)
            {
                foreach (var rate in InputRates)
                {
                    var elapsed = python.Batch(m, rate);
                    if (round >= warmupRounds)
                    {
                        var key = (contestants.Count + m, rate);
                        (results.TryGetValue(key, out var list) ? list : results[key] = []).Add(elapsed);
                    }
                }
            }
        }
        return results;
    }

    private Dictionary<(int, int), List<double>> MeasureStream(List<Contestant> contestants, Dictionary<int, float[]> inputs, PythonPeers? python)
    {
        var results = new Dictionary<(int, int), List<double>>();
        var monoByRate = inputs.ToDictionary(p => p.Key, p =>
        {
            var mono = new float[p.Value.Length / 2];
            Downmix(p.Value, mono);
            return mono;
        });
        var output = new float[4096];
        for (var pass = 0; pass <= streamPasses; pass++)
        {
            for (var i = 0; i < contestants.Count; i++)
            {
                foreach (var rate in InputRates)
                {
                    var mono = monoByRate[rate];
                    var frame = rate / 50;
                    var times = pass == 0 ? null : (results.TryGetValue((i, rate), out var list) ? list : results[(i, rate)] = []);
                    using var resampler = contestants[i].Create(rate, OutputRate);
                    for (var f = 0; f < StreamFrames; f++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        resampler.Process(mono.AsSpan(f * frame, frame), output);
                        var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                        times?.Add(ns);
                    }
                }
            }
            // Python's stateless per-frame calls are slow (a pass can take seconds): it joins the
            // warm-up pass and the first two timed passes only.
            for (var m = 0; python is not null && pass <= 2 && m < PythonPeers.Methods.Length; m++)
            {
                foreach (var rate in InputRates)
                {
                    var frames = python.Stream(m, rate).ToList();
                    if (pass > 0)
                    {
                        var key = (contestants.Count + m, rate);
                        (results.TryGetValue(key, out var list) ? list : results[key] = []).AddRange(frames);
                    }
                }
            }
        }
        return results;
    }

    private SpeedResult Summarize(int rate, List<double> batchMs, List<double> frameNs)
    {
        batchMs.Sort();
        frameNs.Sort();
        // Total per pass: mean frame time x frames per pass.
        var perPass = StreamFrames;
        return new SpeedResult(rate, Percentile(batchMs, 0.5), batchMs[0], batchMs.Count,
            Percentile(frameNs, 0.5), Percentile(frameNs, 0.99), frameNs[^1], frameNs.Average() * perPass / 1e6, frameNs.Count);
    }

    public static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var index = Math.Min(sorted.Count - 1, (int)Math.Round(p * (sorted.Count - 1)));
        return sorted[index];
    }

    private static float[] ResampleOnce(Contestant contestant, float[] signal, int rate)
    {
        var output = new float[(int)((long)signal.Length * OutputRate / rate) + 4096];
        using var resampler = contestant.Create(rate, OutputRate);
        var written = resampler.Process(signal, output);
        written += resampler.Flush(output.AsSpan(written));
        return output[..written];
    }

    /// <summary>The quality columns for one input rate; <paramref name="resampleTone"/> gives the 16 kHz output for a 3.01 s full-scale sine (tone Hz, input rate).</summary>
    public static QualityResult MeasureQuality(int rate, Func<double, int, float[]> resampleTone)
    {
        var alias = SignalQuality.AliasTones
            .Select(tone => SignalQuality.LevelDbfs(SignalQuality.Middle(resampleTone(tone, rate), OutputRate)))
            .ToArray();
        var fits = SignalQuality.PassbandTones
            .Select(tone => SignalQuality.SineFit(SignalQuality.Middle(resampleTone(tone, rate), OutputRate), OutputRate, tone))
            .ToArray();
        return new QualityResult(rate, alias[0], alias[1], alias[2], fits[0].ThdNDb, fits[1].ThdNDb, fits[2].ThdNDb,
            fits[0].GainDb, fits[2].GainDb - fits[0].GainDb);
    }
}
