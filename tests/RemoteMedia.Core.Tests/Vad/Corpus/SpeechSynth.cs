using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>Speech from espeak-ng (Debian package <c>espeak-ng</c>), as mono f32 at a chosen rate.</summary>
public static class SpeechSynth
{
    public const string Executable = "espeak-ng";

    /// <summary>Speaks <paramref name="text"/> with an espeak-ng voice (e.g. <c>en-us+f2</c>) at words per minute <paramref name="speed"/>.</summary>
    public static float[] Speak(string text, string voice, int speed, int rate)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", voice, "-s", speed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stdout", text })
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"espeak-ng is required to build the VAD corpus but could not be started ({ex.Message}); install it with `apt-get install -y espeak-ng` (or `./build.sh setup`)", ex);
        }
        using (process)
        {
            using var wav = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(wav);
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"espeak-ng -v {voice} failed with exit code {process.ExitCode}: {error}");
            }
            var (samples, sourceRate) = ReadWav(wav.ToArray());
            return Resample(samples, sourceRate, rate);
        }
    }

    /// <summary>Reads a 16-bit mono PCM WAV (espeak-ng's --stdout leaves the size fields unset, so sizes are not trusted).</summary>
    private static (float[] Samples, int Rate) ReadWav(byte[] bytes)
    {
        if (bytes.Length < 44 || bytes[0] != 'R' || bytes[8] != 'W')
        {
            throw new InvalidOperationException($"espeak-ng did not write a WAV ({bytes.Length} bytes)");
        }
        var rate = BitConverter.ToInt32(bytes, 24);
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, position, 4);
            var size = BitConverter.ToInt32(bytes, position + 4);
            position += 8;
            if (id == "data")
            {
                var length = (size <= 0 || size > bytes.Length - position) ? bytes.Length - position : size;
                var pcm = MemoryMarshal.Cast<byte, short>(bytes.AsSpan(position, length & ~1));
                var samples = new float[pcm.Length];
                for (var i = 0; i < pcm.Length; i++)
                {
                    samples[i] = pcm[i] / 32768f;
                }
                return (samples, rate);
            }
            position += size;
        }
        throw new InvalidOperationException("espeak-ng WAV has no data chunk");
    }

    /// <summary>
    /// Windowed-sinc resampling (32 taps, Blackman window), polyphase: the fractional positions repeat
    /// every toRate/gcd outputs, so each phase's taps are computed once. Ample quality for a VAD corpus.
    /// </summary>
    public static float[] Resample(float[] input, int fromRate, int toRate)
    {
        if (fromRate == toRate)
        {
            return input;
        }
        const int halfTaps = 16;
        var gcd = (int)System.Numerics.BigInteger.GreatestCommonDivisor(fromRate, toRate);
        int up = toRate / gcd, down = fromRate / gcd;
        var cutoff = Math.Min(1.0, (double)toRate / fromRate) * 0.92;
        var phases = new double[up][];
        var output = new float[(int)(input.LongLength * toRate / fromRate)];
        for (var n = 0; n < output.Length; n++)
        {
            var position = (long)n * down;
            var center = (int)(position / up);
            var phase = (int)(position % up);
            var taps = phases[phase] ??= Taps((double)phase / up, cutoff, halfTaps);
            var sum = 0.0;
            for (var j = 0; j < taps.Length; j++)
            {
                var k = center - halfTaps + 1 + j;
                if (k >= 0 && k < input.Length)
                {
                    sum += input[k] * taps[j];
                }
            }
            output[n] = (float)sum;
        }
        return output;
    }

    private static double[] Taps(double fraction, double cutoff, int halfTaps)
    {
        var taps = new double[2 * halfTaps];
        for (var j = 0; j < taps.Length; j++)
        {
            var x = fraction + halfTaps - 1 - j; // t - k for k = center - halfTaps + 1 + j
            var sinc = x == 0 ? 1.0 : Math.Sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
            var w = 0.42 + 0.5 * Math.Cos(Math.PI * x / halfTaps) + 0.08 * Math.Cos(2 * Math.PI * x / halfTaps);
            taps[j] = cutoff * sinc * w;
        }
        return taps;
    }
}
