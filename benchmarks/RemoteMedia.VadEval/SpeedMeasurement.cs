using System.Diagnostics;
using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.VadEval;

internal sealed record SpeedResult(string Name, double CpuNanosecondsPerFrame, double WallNanosecondsPerFrame, long Frames);

/// <summary>
/// Time per 10 ms frame at 16 kHz, over a minute of noisy speech fed in 1 s blocks (events read after
/// each block, as a pipeline would): best of several rounds after a warm-up round. The build machine
/// is shared, so the figure of merit is this thread's CPU time; wall time is reported beside it.
/// </summary>
internal static partial class SpeedMeasurement
{
    private const int Rounds = 7;

    public static List<SpeedResult> Run(List<VadClip> corpus, int rate, bool nativeAvailable)
    {
        var audio = corpus.Where(c => c.SnrDb == 10).SelectMany(c => c.Samples).Take(rate * 60).ToArray();
        var results = new List<SpeedResult>();
        foreach (var (name, config) in new[] { ("robust", Detectors.RobustConfig), ("energy", """{"mode":"energy","frame_duration_ms":10}""") })
        {
            if (nativeAvailable)
            {
                results.Add(Measure($"{name}, native", audio, rate, () => VadRunner.Create(config, RuntimeHint.Native)));
            }
            results.Add(Measure($"{name}, managed", audio, rate, () => VadRunner.Create(config, RuntimeHint.Managed)));
        }
        results.Add(MeasureWebRtc(audio, rate));
        return results;
    }

    private static SpeedResult Measure(string name, float[] audio, int rate, Func<INodeExecutor> create)
    {
        return Best(name, () =>
        {
            using var node = create();
            return VadRunner.Decisions(node, audio, rate, rate).Count;
        });
    }

    private static SpeedResult MeasureWebRtc(float[] audio, int rate)
    {
        return Best("webrtc mode 3 (incl. f32->s16), P/Invoke", () =>
        {
            using var vad = new WebRtcVad(3);
            return vad.Decide(audio, rate, rate / 100).Count;
        });
    }

    private static SpeedResult Best(string name, Func<int> run)
    {
        double bestCpu = double.MaxValue, bestWall = double.MaxValue;
        var frames = 0;
        for (var round = 0; round <= Rounds; round++)
        {
            var cpuStart = ThreadCpuNanoseconds();
            var watch = Stopwatch.StartNew();
            frames = run();
            watch.Stop();
            var cpu = ThreadCpuNanoseconds() - cpuStart;
            if (round > 0)
            {
                bestCpu = Math.Min(bestCpu, (double)cpu / frames);
                bestWall = Math.Min(bestWall, watch.Elapsed.TotalNanoseconds / frames);
            }
        }
        return new SpeedResult(name, bestCpu, bestWall, frames);
    }

    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        clock_gettime(ClockThreadCpuTimeId, out var time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out Timespec time);
}
