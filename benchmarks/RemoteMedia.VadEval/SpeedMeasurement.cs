using System.Diagnostics;
using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.VadEval;

internal sealed record SpeedResult(string Name, double NanosecondsPerFrame, long Frames);

/// <summary>
/// Time per 10 ms frame at 16 kHz, over a minute of noisy speech fed in 1 s blocks (events read after
/// each block, as a pipeline would): best of several rounds after a warm-up round.
/// </summary>
internal static class SpeedMeasurement
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
        var best = double.MaxValue;
        long frames = 0;
        for (var round = 0; round <= Rounds; round++)
        {
            using var node = create();
            var watch = Stopwatch.StartNew();
            var decisions = VadRunner.Decisions(node, audio, rate, rate);
            watch.Stop();
            frames = decisions.Count;
            if (round > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalNanoseconds / frames);
            }
        }
        return new SpeedResult(name, best, frames);
    }

    private static SpeedResult MeasureWebRtc(float[] audio, int rate)
    {
        var best = double.MaxValue;
        long frames = 0;
        for (var round = 0; round <= Rounds; round++)
        {
            using var vad = new WebRtcVad(3);
            var watch = Stopwatch.StartNew();
            var decisions = vad.Decide(audio, rate, rate / 100);
            watch.Stop();
            frames = decisions.Count;
            if (round > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalNanoseconds / frames);
            }
        }
        return new SpeedResult("webrtc (incl. f32->s16), P/Invoke", best, frames);
    }
}
