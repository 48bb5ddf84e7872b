using RemoteMedia.Tests.Vad.Corpus;

namespace RemoteMedia.VadEval;

/// <summary>A detector under evaluation: a name and a function from clip audio to 10 ms decisions.</summary>
internal sealed record Detector(string Name, string Group, Func<float[], int, List<bool>> Decide, int FrameSamples = 160);

internal static class Detectors
{
    public const string RobustDefault = "robust (default, aggr 2)";
    public const string RobustConfig = """{"frame_duration_ms":10}""";

    public static List<Detector> All(bool nativeAvailable)
    {
        var hint = nativeAvailable ? RuntimeHint.Native : RuntimeHint.Managed;
        var list = new List<Detector> { Node(RobustDefault, "ours", RobustConfig, hint) };
        for (var a = 0; a <= 3; a++)
        {
            if (a != 2)
            {
                list.Add(Node($"robust aggr {a}", "ours", $$"""{"frame_duration_ms":10,"aggressiveness":{{a}}}""", hint));
            }
        }
        list.Add(Node("energy 10 ms (thr 0.02)", "ours", """{"mode":"energy","frame_duration_ms":10}""", hint));
        list.Add(new Detector("energy 30 ms (original)", "ours",
            (s, r) => VadRunner.Decisions(VadRunner.Create("""{"mode":"energy"}""", hint), s, r, 4800), 480));
        for (var mode = 0; mode <= 3; mode++)
        {
            var m = mode;
            list.Add(new Detector($"webrtc mode {m}", "webrtc", (s, r) =>
            {
                using var vad = new WebRtcVad(m);
                return vad.Decide(s, r, r / 100);
            }));
        }
        return list;
    }

    private static Detector Node(string name, string group, string config, RuntimeHint hint) =>
        new(name, group, (samples, rate) =>
        {
            using var node = VadRunner.Create(config, hint);
            return VadRunner.Decisions(node, samples, rate, 4800);
        });
}
