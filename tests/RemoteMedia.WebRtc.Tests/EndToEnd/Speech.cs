using System.Buffers.Binary;
using System.Diagnostics;

namespace RemoteMedia.WebRtc.Tests.EndToEnd;

/// <summary>Speech made with espeak-ng, resampled to 48 kHz mono s16, for the browsers' fake microphones.</summary>
internal static class Speech
{
    internal const string Sentence = "please turn on the kitchen lights";

    private static readonly Lazy<(string Path, short[] Samples)> Made = new(Make);

    internal static string WavPath => Made.Value.Path;

    internal static short[] Samples48k => Made.Value.Samples;

    private static (string, short[]) Make()
    {
        const string Espeak = "/usr/bin/espeak-ng";
        if (!File.Exists(Espeak))
        {
            throw new InvalidOperationException("espeak-ng is missing: apt-get install -y espeak-ng (build.sh setup does this)");
        }

        var dir = Directory.CreateTempSubdirectory("rm-webrtc-speech-");
        string raw = Path.Combine(dir.FullName, "speech22k.wav");
        var psi = new ProcessStartInfo(Espeak) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "en-us", "-s", "140", "-w", raw, Sentence })
        {
            psi.ArgumentList.Add(a);
        }

        using (var p = Process.Start(psi)!)
        {
            if (!p.WaitForExit(20_000) || p.ExitCode != 0)
            {
                throw new InvalidOperationException("espeak-ng failed: " + p.StandardError.ReadToEnd());
            }
        }

        var (rate, pcm) = ReadWav(raw);
        var s48 = Resample(pcm, rate, 48000);

        // half a second of silence either side, so the loop has clear boundaries
        var padded = new short[s48.Length + 48000];
        s48.CopyTo(padded, 24000);
        string path = Path.Combine(dir.FullName, "speech48k.wav");
        WriteWav(path, padded, 48000);
        return (path, padded);
    }

    internal static (int Rate, short[] Samples) ReadWav(string path)
    {
        var b = File.ReadAllBytes(path);
        int p = 12, rate = 0;
        while (p + 8 <= b.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(b, p, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p + 4));
            if (id == "fmt ")
            {
                rate = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(p + 12));
            }
            else if (id == "data")
            {
                size = Math.Min(size, b.Length - p - 8);   // espeak-ng writes a placeholder size when streaming
                var s = new short[size / 2];
                for (int i = 0; i < s.Length; i++)
                {
                    s[i] = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(p + 8 + (2 * i)));
                }

                return (rate, s);
            }

            p += 8 + size;
        }

        throw new InvalidDataException("no data chunk in " + path);
    }

    internal static void WriteWav(string path, short[] s, int rate)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8);
        w.Write(36 + (s.Length * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(s.Length * 2);
        foreach (var x in s)
        {
            w.Write(x);
        }
    }

    private static short[] Resample(short[] x, int from, int to)
    {
        var y = new short[(int)((long)x.Length * to / from)];
        for (int i = 0; i < y.Length; i++)
        {
            double t = (double)i * from / to;
            int k = (int)t;
            double f = t - k;
            double a = x[Math.Min(k, x.Length - 1)], b = x[Math.Min(k + 1, x.Length - 1)];
            y[i] = (short)(a + ((b - a) * f));
        }

        return y;
    }

    /// <summary>10 ms RMS envelope.</summary>
    internal static double[] Envelope(ReadOnlySpan<short> s)
    {
        var e = new double[s.Length / 480];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = Signal.Rms(s.Slice(i * 480, 480));
        }

        return e;
    }

    /// <summary>Best normalized correlation of <paramref name="received"/>'s envelope against the looped reference envelope.</summary>
    internal static double EnvelopeCorrelation(short[] reference, short[] received)
    {
        var r = Envelope(reference);
        var x = Envelope(received);
        int n = Math.Min(x.Length, r.Length);
        double best = 0;
        for (int lag = 0; lag < r.Length; lag++)
        {
            double xy = 0, xx = 0, yy = 0, mx = 0, my = 0;
            for (int i = 0; i < n; i++)
            {
                mx += x[i];
                my += r[(i + lag) % r.Length];
            }

            mx /= n;
            my /= n;
            for (int i = 0; i < n; i++)
            {
                double a = x[i] - mx, b = r[(i + lag) % r.Length] - my;
                xy += a * b;
                xx += a * a;
                yy += b * b;
            }

            if (xx > 0 && yy > 0)
            {
                best = Math.Max(best, xy / Math.Sqrt(xx * yy));
            }
        }

        return best;
    }

    /// <summary>Power of <paramref name="freq"/> relative to total power (Goertzel), 0..1.</summary>
    internal static double ToneShare(ReadOnlySpan<short> s, double freq)
    {
        double w = 2 * Math.PI * freq / 48000, c = 2 * Math.Cos(w), s1 = 0, s2 = 0, energy = 0;
        foreach (var v in s)
        {
            double s0 = v + (c * s1) - s2;
            s2 = s1;
            s1 = s0;
            energy += (double)v * v;
        }

        double p = (s1 * s1) + (s2 * s2) - (c * s1 * s2);
        return energy == 0 ? 0 : 2 * p / (s.Length * energy);
    }

    internal static short[] Tone(int samples, double freq, int amplitude = 8000, int phaseStart = 0)
    {
        var t = new short[samples];
        for (int i = 0; i < samples; i++)
        {
            t[i] = (short)(amplitude * Math.Sin(2 * Math.PI * freq * (i + phaseStart) / 48000));
        }

        return t;
    }
}
