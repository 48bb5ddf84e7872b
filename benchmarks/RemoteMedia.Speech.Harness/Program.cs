using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RemoteMedia.Speech;
using RemoteMedia.Speech.Tests.Support;

// Speech layer measurements, printed as Markdown (benchmarks/results/speech.md).
//   (no args)   timings (TTS per sentence, ASR per second of audio, decoder creation) and accuracy over the grammar
//   accuracy    only the accuracy table
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var accuracyOnly = args.Length > 0 && args[0] == "accuracy";
var padding = TimeSpan.FromMilliseconds(200); // the VAD-triggered buffer's pre-roll and hangover

using var synthesizer = new EspeakSynthesizer();
var sentences = GrammarSentences();
var audio = sentences.ToDictionary(s => s, Speak16k);
var totalAudioSeconds = audio.Values.Sum(a => a.Length) / 16_000.0;

Console.WriteLine("# Speech layer: timings and accuracy");
Console.WriteLine();
Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {OsName()}, .NET {Environment.Version}, " +
                  $"espeak-ng {synthesizer.EngineVersion.Split(' ')[0]}, pocketsphinx {Package("libpocketsphinx3")} with pocketsphinx-en-us {Package("pocketsphinx-en-us")}.");
Console.WriteLine($"Input: espeak-ng (en-us, 150 wpm) speaking every sentence of the command grammar ({sentences.Count} sentences, " +
                  $"{totalAudioSeconds:F1} s), resampled 22050 -> 16000 Hz by the test resampler, {padding.TotalMilliseconds:F0} ms of silence each side.");
Console.WriteLine($"Load average while measuring: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (the 2 cores are shared with other jobs; CPU time is the steadier number).");
Console.WriteLine($"Run: `dotnet run -c Release --project benchmarks/RemoteMedia.Speech.Harness`, {DateTime.UtcNow:yyyy-MM-dd}.");
Console.WriteLine();

if (!accuracyOnly)
{
    Timings();
}
Accuracy();
return;

void Timings()
{
    Console.WriteLine("## Timings (single thread, median of 10 after a warm-up)");
    Console.WriteLine();
    Console.WriteLine("| stage | what | wall (CPU) | wall (CPU) per second of audio |");
    Console.WriteLine("|---|---|---:|---:|");
    string[] replies =
    [
        "Okay, the kitchen lights are now on.",
        "It's 3:07 PM.",
        "Today is Tuesday, November 24.",
        "You're welcome.",
        "Hello! You can say things like: turn on the kitchen lights, are the office lights on, what time is it, or what day is it.",
    ];
    foreach (var reply in replies)
    {
        var seconds = synthesizer.Synthesize(reply).Duration.TotalSeconds;
        var ms = Median(10, () => synthesizer.Synthesize(reply));
        Console.WriteLine($"| TTS espeak-ng | \"{Shorten(reply)}\" ({seconds:F2} s of speech) | {ms} | {ms / seconds} |");
    }

    var createGrammar = Median(10, () => new PocketSphinxRecognizer().Dispose());
    Console.WriteLine($"| ASR create | decoder with the command grammar | {createGrammar} | |");
    var createLm = Median(3, () => new PocketSphinxRecognizer(new PocketSphinxOptions { Vocabulary = RecognitionVocabulary.GeneralLanguageModel }).Dispose());
    Console.WriteLine($"| ASR create | decoder with the general language model | {createLm} | |");

    GC.Collect();
    var rssBefore = Process.GetCurrentProcess().WorkingSet64;
    var held = Enumerable.Range(0, 10).Select(_ => new PocketSphinxRecognizer()).ToList();
    held.ForEach(r => r.Recognize(audio[sentences[0]]));
    var rssPerDecoder = (Process.GetCurrentProcess().WorkingSet64 - rssBefore) / 10.0 / (1024 * 1024);
    held.ForEach(r => r.Dispose());
    Console.WriteLine($"| ASR memory | resident memory per grammar decoder (10 held, each used once) | {rssPerDecoder:F1} MB | |");

    using var warm = new PocketSphinxRecognizer();
    warm.Recognize(audio[sentences[0]]);
    var all = Measure(() =>
    {
        foreach (var sentence in sentences)
        {
            warm.Recognize(audio[sentence]);
        }
    });
    Console.WriteLine($"| ASR grammar | one utterance (mean of all {sentences.Count}, warm decoder) | {all / sentences.Count} | {all / totalAudioSeconds} |");

    var firstSentences = sentences.Take(10).ToList();
    var decoders = firstSentences.Select(_ => new PocketSphinxRecognizer()).ToList();
    var first = Measure(() =>
    {
        for (var i = 0; i < decoders.Count; i++)
        {
            decoders[i].Recognize(audio[firstSentences[i]]);
        }
    });
    decoders.ForEach(d => d.Dispose());
    var firstSeconds = firstSentences.Sum(s => audio[s].Length) / 16_000.0;
    Console.WriteLine($"| ASR grammar | first utterance of a fresh decoder (decoded twice) | {first / firstSentences.Count} | {first / firstSeconds} |");

    using var lm = new PocketSphinxRecognizer(new PocketSphinxOptions { Vocabulary = RecognitionVocabulary.GeneralLanguageModel });
    var lmSentences = sentences.Take(8).ToList();
    lm.Recognize(audio[lmSentences[0]]);
    var lmTime = Measure(() =>
    {
        foreach (var sentence in lmSentences)
        {
            lm.Recognize(audio[sentence]);
        }
    });
    var lmSeconds = lmSentences.Sum(s => audio[s].Length) / 16_000.0;
    Console.WriteLine($"| ASR general LM | one utterance (mean of {lmSentences.Count}, warm decoder) | {lmTime / lmSentences.Count} | {lmTime / lmSeconds} |");
    Console.WriteLine();
}

void Accuracy()
{
    Console.WriteLine("## Accuracy over the whole grammar (exact transcript)");
    Console.WriteLine();
    Console.WriteLine("| decoder | exact | misses |");
    Console.WriteLine("|---|---:|---|");
    using (var warm = new PocketSphinxRecognizer())
    {
        foreach (var phrase in (string[])["hello", "turn on the garage lights", "what time is it"])
        {
            warm.Recognize(audio[phrase]);
        }
        Row("one decoder, after 3 warm-up utterances (a session in progress)", sentences.Select(s => (s, warm.Recognize(audio[s]).Text)).ToList());
    }
    Row("a fresh decoder per sentence (each caller's first utterance)", sentences.Select(s =>
    {
        using var fresh = new PocketSphinxRecognizer();
        return (s, fresh.Recognize(audio[s]).Text);
    }).ToList());
    Row("a fresh decoder per sentence, RedecodeFirstUtterance = false", sentences.Select(s =>
    {
        using var fresh = new PocketSphinxRecognizer(new PocketSphinxOptions { RedecodeFirstUtterance = false });
        return (s, fresh.Recognize(audio[s]).Text);
    }).ToList());
    using (var lm = new PocketSphinxRecognizer(new PocketSphinxOptions { Vocabulary = RecognitionVocabulary.GeneralLanguageModel }))
    {
        Row("general language model, one decoder", sentences.Take(10).Select(s => (s, lm.Recognize(audio[s]).Text)).ToList());
    }
}

void Row(string label, List<(string Expected, string Heard)> results)
{
    var misses = results.Where(r => r.Expected != r.Heard).ToList();
    var shown = string.Join("; ", misses.Take(6).Select(m => $"\"{m.Expected}\" -> \"{m.Heard}\"")) + (misses.Count > 6 ? $"; +{misses.Count - 6} more" : string.Empty);
    Console.WriteLine($"| {label} | {results.Count - misses.Count}/{results.Count} | {(misses.Count == 0 ? "none" : shown)} |");
}

float[] Speak16k(string text)
{
    var speech = synthesizer.Synthesize(text);
    var resampled = TestResampler.Resample(speech.Samples, speech.Format.SampleRate, 16_000);
    var silence = new float[(int)(padding.TotalSeconds * 16_000)];
    return [.. silence, .. resampled, .. silence];
}

// Wall time is inflated when other jobs share the cores; CPU time of this process is not.
static Measured Median(int runs, Action action)
{
    action();
    var wall = new List<double>();
    var cpu = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        action();
        wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }
    wall.Sort();
    cpu.Sort();
    return new Measured(wall[wall.Count / 2], cpu[cpu.Count / 2]);
}

static Measured Measure(Action action)
{
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var started = Stopwatch.GetTimestamp();
    action();
    return new Measured(Stopwatch.GetElapsedTime(started).TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
}

static List<string> GrammarSentences()
{
    List<string> result = [];
    foreach (var please in (string[])["", "please "])
    {
        foreach (var state in (string[])["on", "off"])
        {
            result.AddRange(CommandResponder.Rooms.Select(room => $"{please}turn {state} the {room} lights"));
            result.Add($"{please}turn {state} all the lights");
        }
    }
    result.AddRange(CommandResponder.Rooms.Select(room => $"are the {room} lights on"));
    result.AddRange(["what time is it", "what day is it", "hello", "thank you", "stop", "goodbye"]);
    return result;
}

static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

static string CpuModel() =>
    File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

static string OsName() =>
    File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;

static string Package(string name)
{
    try
    {
        using var process = Process.Start(new ProcessStartInfo("dpkg-query", ["-W", "-f=${Version}", name]) { RedirectStandardOutput = true })!;
        var version = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return version.Length > 0 ? version : "?";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "?";
    }
}

internal readonly record struct Measured(double WallMs, double CpuMs)
{
    public static Measured operator /(Measured m, double by) => new(m.WallMs / by, m.CpuMs / by);

    public override string ToString() => $"{WallMs:F1} ms ({CpuMs:F1})";
}
