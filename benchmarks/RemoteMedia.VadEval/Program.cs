using System.Diagnostics;
using System.Globalization;
using RemoteMedia;
using RemoteMedia.Tests.Vad.Corpus;
using RemoteMedia.VadEval;

// Usage: dotnet run -c Release --project benchmarks/RemoteMedia.VadEval [-- --clips N] [--out DIR] [--no-speed] [--held-out]
// Writes vad.md/.json (or vad-heldout.md/.json with --held-out: sentences, voices and noise never used for tuning).
var options = EvalOptions.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int Rate = 16000;

var clock = Stopwatch.StartNew();
var corpus = VadCorpus.Build(options.Clips, Rate, heldOut: options.HeldOut);
Console.Error.WriteLine($"corpus: {corpus.Count} clips, {corpus.Sum(c => c.Samples.Length) / (double)Rate:F0} s, built in {clock.Elapsed.TotalSeconds:F1} s");

var nativeAvailable = RemoteMediaRuntime.Status.IsNativeAvailable;
var detectors = Detectors.All(nativeAvailable);
var evaluation = Evaluation.Run(corpus, detectors, Rate);
Console.Error.WriteLine($"evaluated in {clock.Elapsed.TotalSeconds:F1} s; native/managed decision mismatches: {evaluation.ParityMismatches?.ToString() ?? "n/a (native unavailable)"}");

var speed = options.Speed ? SpeedMeasurement.Run(corpus, Rate, nativeAvailable) : [];
var report = new EvalReport(Machine.Describe(), options.Clips, corpus.Count, evaluation, speed, options.HeldOut);
var name = options.HeldOut ? "vad-heldout" : "vad";
report.Write(options.OutputDirectory, name);
Console.WriteLine(File.ReadAllText(Path.Combine(options.OutputDirectory, name + ".md")));
return 0;
