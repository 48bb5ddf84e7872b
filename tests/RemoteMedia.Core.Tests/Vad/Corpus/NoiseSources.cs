namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>Deterministic noise for the corpus: white and pink from a seeded generator, babble from espeak-ng voices.</summary>
public static class NoiseSources
{
    public static float[] White(int length, ulong seed)
    {
        var random = new SplitMix(seed);
        var noise = new float[length];
        for (var i = 0; i < length; i++)
        {
            noise[i] = (float)random.NextGaussian();
        }
        return noise;
    }

    /// <summary>1/f noise: Paul Kellet's refined filter of white noise (accurate to ±0.05 dB above 9 Hz at 44.1 kHz).</summary>
    public static float[] Pink(int length, ulong seed)
    {
        var white = White(length, seed);
        var noise = new float[length];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (var i = 0; i < length; i++)
        {
            double w = white[i];
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            noise[i] = (float)(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
            b6 = w * 0.115926;
        }
        return noise;
    }

    /// <summary>Babble: <paramref name="talkers"/> espeak-ng voices reading different texts back to back, each at equal level, summed.</summary>
    public static float[] Babble(int length, int rate, int talkers, int firstLine = 0)
    {
        var babble = new float[length];
        for (var t = 0; t < talkers; t++)
        {
            var voice = CorpusText.BabbleVoices[(t + firstLine) % CorpusText.BabbleVoices.Length];
            var talker = new List<float>(length);
            var line = t + firstLine;
            while (talker.Count < length)
            {
                talker.AddRange(SpeechSynth.Speak(CorpusText.BabbleLines[line % CorpusText.BabbleLines.Length], voice, 165 + 10 * t, rate));
                line += 3;
            }
            var samples = talker.ToArray();
            var rms = Rms(samples.AsSpan(0, length));
            for (var i = 0; i < length; i++)
            {
                babble[i] += (float)(samples[i] / rms);
            }
        }
        return babble;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    /// <summary>SplitMix64: tiny, seedable and identical everywhere.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong state = seed;

        public double NextDouble()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return ((z >> 11) + 0.5) / (1UL << 53);
        }

        public double NextGaussian() => Math.Sqrt(-2.0 * Math.Log(NextDouble())) * Math.Cos(2.0 * Math.PI * NextDouble());
    }
}
