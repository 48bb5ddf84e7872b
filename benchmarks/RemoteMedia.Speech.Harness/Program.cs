using System.Diagnostics;
using RemoteMedia.Speech;
using RemoteMedia.Speech.Tests.Support;

// Modes: (none) = the benchmark table; "accuracy [wpm] [-arg value ...]" = every grammar sentence, twice.
var mode = args.Length > 0 ? args[0] : "bench";
var wordsPerMinute = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : new EspeakOptions().WordsPerMinute;
var extra = new Dictionary<string, string>();
for (var i = 2; i + 1 < args.Length; i += 2)
{
    extra[args[i]] = args[i + 1];
}

using var synthesizer = new EspeakSynthesizer(new EspeakOptions { WordsPerMinute = wordsPerMinute });
float[] Speak16k(string text)
{
    var speech = synthesizer.Synthesize(text);
    var audio = TestResampler.Resample(speech.Samples, speech.Format.SampleRate, PocketSphinxRecognizer.ModelSampleRate);
    var pad = int.Parse(Environment.GetEnvironmentVariable("PADMS") ?? "0", System.Globalization.CultureInfo.InvariantCulture) * 16;
    return [.. new float[pad], .. audio, .. new float[pad]];
}

if (mode is "accuracy" or "fresh")
{
    var sentences = File.ReadAllLines(args.Length > 0 && File.Exists("sentences.txt") ? "sentences.txt" : throw new FileNotFoundException("sentences.txt"));
    using var recognizer = new PocketSphinxRecognizer(new PocketSphinxOptions { AdditionalArguments = extra, RedecodeFirstUtterance = Environment.GetEnvironmentVariable("NOREDECODE") != "1" });
    var correct = 0;
    var total = 0;
    for (var pass = 0; pass < 2; pass++)
    {
        foreach (var sentence in sentences)
        {
            using var fresh = mode == "fresh" ? new PocketSphinxRecognizer(new PocketSphinxOptions { AdditionalArguments = extra, RedecodeFirstUtterance = Environment.GetEnvironmentVariable("NOREDECODE") != "1" }) : null;
            var heard = (fresh ?? recognizer).Recognize(Speak16k(sentence));
            total++;
            if (heard.Text == sentence)
            {
                correct++;
            }
            else
            {
                Console.WriteLine($"  MISS '{sentence}' -> '{heard.Text}' ({heard.Confidence:F2})");
            }
        }
    }
    Console.WriteLine($"wpm {wordsPerMinute} {string.Join(' ', extra.Select(p => $"{p.Key} {p.Value}"))}: {correct}/{total} exact");
    return;
}
Console.WriteLine("bench mode: see BenchMode");
