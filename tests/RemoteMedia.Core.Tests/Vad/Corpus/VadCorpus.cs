namespace RemoteMedia.Tests.Vad.Corpus;

public enum NoiseKind
{
    White,
    Pink,
    Babble,
}

/// <summary>One corpus clip: mono f32 audio and its 10 ms frame labels (true = speech).</summary>
public sealed record VadClip(string Name, NoiseKind Noise, int SnrDb, int SampleRate, float[] Samples, bool[] Labels)
{
    public int LabelFrameSamples => SampleRate / 100;
}

/// <summary>
/// The labeled VAD corpus: espeak-ng utterances (two per clip, separated by a pause, with silence
/// before and after), scaled to an active speech level of -20 dBFS, mixed with white, pink or
/// babble noise at a given SNR. Labels come from the clean signal: a 10 ms frame is speech when its
/// RMS is within <see cref="LabelRangeDb"/> dB of the clip's loudest frame. SNR is active speech
/// power (over labeled frames) to noise power.
/// </summary>
public static class VadCorpus
{
    public const double LabelRangeDb = 30.0;
    public const double ActiveLevel = 0.1;
    public static readonly int[] Snrs = [20, 10, 5, 0];
    public static readonly NoiseKind[] Noises = [NoiseKind.White, NoiseKind.Pink, NoiseKind.Babble];

    /// <summary>A clean clip: lead silence, utterance, pause, utterance, tail silence.</summary>
    public static (float[] Samples, bool[] Labels) CleanClip(int index, int rate, bool heldOut = false)
    {
        var sentences = heldOut ? CorpusText.HeldOutSentences : CorpusText.Sentences;
        var voices = heldOut ? CorpusText.HeldOutVoices : CorpusText.Voices;
        var first = sentences[(2 * index) % sentences.Length];
        var second = sentences[(2 * index + 1) % sentences.Length];
        var voice = voices[index % voices.Length];
        var speed = 140 + 10 * (index % 4);
        var samples = new List<float>();
        samples.AddRange(new float[rate * (700 + 100 * (index % 3)) / 1000]);
        samples.AddRange(SpeechSynth.Speak(first, voice, speed, rate));
        samples.AddRange(new float[rate * (800 + 150 * (index % 4)) / 1000]);
        samples.AddRange(SpeechSynth.Speak(second, voice, speed, rate));
        samples.AddRange(new float[rate * 800 / 1000]);
        var clean = samples.ToArray();
        var labels = Label(clean, rate);
        var scale = ActiveLevel / ActiveRms(clean, labels, rate);
        for (var i = 0; i < clean.Length; i++)
        {
            clean[i] = (float)(clean[i] * scale);
        }
        return (clean, labels);
    }

    public static bool[] Label(float[] clean, int rate)
    {
        var frame = rate / 100;
        var count = clean.Length / frame;
        var rms = new double[count];
        for (var f = 0; f < count; f++)
        {
            rms[f] = NoiseSources.Rms(clean.AsSpan(f * frame, frame));
        }
        var threshold = rms.Max() * Math.Pow(10, -LabelRangeDb / 20);
        return rms.Select(r => r > threshold).ToArray();
    }

    private static double ActiveRms(float[] clean, bool[] labels, int rate)
    {
        var frame = rate / 100;
        double sum = 0;
        long n = 0;
        for (var f = 0; f < labels.Length; f++)
        {
            if (!labels[f])
            {
                continue;
            }
            foreach (var s in clean.AsSpan(f * frame, frame))
            {
                sum += (double)s * s;
            }
            n += frame;
        }
        return Math.Sqrt(sum / n);
    }

    /// <summary>Mixes <paramref name="clean"/> with <paramref name="noise"/> (from <paramref name="offset"/>) at <paramref name="snrDb"/>.</summary>
    public static float[] Mix(float[] clean, bool[] labels, float[] noise, int offset, int snrDb, int rate)
    {
        var segment = noise.AsSpan(offset % Math.Max(1, noise.Length - clean.Length), clean.Length);
        var noiseRms = NoiseSources.Rms(segment);
        var gain = ActiveRms(clean, labels, rate) / Math.Pow(10, snrDb / 20.0) / noiseRms;
        var mixed = new float[clean.Length];
        for (var i = 0; i < clean.Length; i++)
        {
            mixed[i] = (float)(clean[i] + gain * segment[i]);
        }
        return mixed;
    }

    /// <summary>Builds <paramref name="clipCount"/> clips for every noise kind and SNR.</summary>
    /// <remarks><paramref name="heldOut"/> selects other sentences, voices, noise seeds and babble offsets.</remarks>
    public static List<VadClip> Build(int clipCount, int rate, IReadOnlyList<NoiseKind>? noises = null, IReadOnlyList<int>? snrs = null, bool heldOut = false)
    {
        noises ??= Noises;
        snrs ??= Snrs;
        var cleanClips = Enumerable.Range(0, clipCount).Select(i => CleanClip(i, rate, heldOut)).ToList();
        var longest = cleanClips.Max(c => c.Samples.Length);
        var noiseLength = longest + rate * 10;
        var clips = new List<VadClip>();
        foreach (var kind in noises)
        {
            var noise = kind switch
            {
                NoiseKind.White => NoiseSources.White(noiseLength, heldOut ? 0x0DD_0001UL : 0x5EED_0001UL),
                NoiseKind.Pink => NoiseSources.Pink(noiseLength, heldOut ? 0x0DD_0002UL : 0x5EED_0002UL),
                _ => NoiseSources.Babble(noiseLength, rate, 6, heldOut ? 5 : 0),
            };
            for (var c = 0; c < cleanClips.Count; c++)
            {
                var (clean, labels) = cleanClips[c];
                foreach (var snr in snrs)
                {
                    var offset = (c * 7919 + snr * 131 + (heldOut ? 3001 : 0)) * (rate / 1000);
                    clips.Add(new VadClip($"clip{c}-{kind.ToString().ToLowerInvariant()}-{snr}dB", kind, snr, rate,
                        Mix(clean, labels, noise, offset, snr, rate), labels));
                }
            }
        }
        return clips;
    }
}
