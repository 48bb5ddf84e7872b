using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Pipeline;

namespace RemoteMedia.Cli.Commands;

/// <summary><c>remotemedia run manifest.json --input in.wav --output out.wav</c>: a manifest pipeline over a WAV file.</summary>
internal static class RunCommand
{
    /// <summary>Shorter inputs finish before a progress bar would be worth drawing.</summary>
    private static readonly TimeSpan ProgressThreshold = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var manifest = new Argument<FileInfo>("manifest") { Description = "Pipeline manifest (remotemedia v1 JSON)." };
        var input = new Option<FileInfo>("--input", "-i") { Description = "Input WAV.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Output WAV (written only if the run succeeds).", Required = true };
        var runtime = new Option<RuntimeHint?>("--runtime")
        {
            Description = "Override every node's runtime_hint: auto, native or managed (default: the manifest's hints).",
        };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Write the pipeline metrics JSON here (also after a failure)." };
        var command = new Command("run", "Run a pipeline manifest over a WAV file.") { manifest, input, output, runtime, metrics };
        command.SetAction(parse => CliOptions.Guard(() => Run(
            parse.GetValue(manifest)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(runtime), parse.GetValue(metrics))));
        return command;
    }

    private static int Run(FileInfo manifestFile, FileInfo inputFile, FileInfo outputFile, RuntimeHint? runtime, FileInfo? metricsFile)
    {
        using var pipeline = AudioPipeline.Load(manifestFile.FullName, new PipelineOptions { RuntimeOverride = runtime });
        AudioFormat inputFormat;
        TimeSpan duration;
        using (var probe = WavReader.Open(inputFile.FullName))
        {
            (inputFormat, duration) = (probe.Format, probe.Duration);
        }
        var bar = duration > ProgressThreshold && !Console.IsErrorRedirected ? new ProgressBar() : null;
        var clock = Stopwatch.StartNew();
        try
        {
            pipeline.RunFile(inputFile.FullName, outputFile.FullName, bar is null ? null : bar.Report);
        }
        finally
        {
            bar?.Done();
            if (metricsFile is not null)
            {
                File.WriteAllText(metricsFile.FullName, pipeline.GetMetrics());
            }
        }
        var nodes = string.Join(", ", pipeline.Nodes.Select(n => $"{n.Id}:{(n.Runtime == NodeRuntime.Native ? "native" : "managed")}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{inputFile.Name} ({inputFormat}, {duration.TotalSeconds:0.00} s) -> {outputFile.Name} ({pipeline.Nodes.Count} nodes: {nodes}) in {clock.Elapsed.TotalMilliseconds:0} ms"));
        return 0;
    }

    /// <summary>A one-line bar on stderr, redrawn at most once per percent.</summary>
    private sealed class ProgressBar
    {
        private const int Width = 40;
        private int lastPercent = -1;

        public void Report(long done, long total)
        {
            var percent = total == 0 ? 100 : (int)(done * 100 / total);
            if (percent == lastPercent)
            {
                return;
            }
            lastPercent = percent;
            var filled = percent * Width / 100;
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {percent,3}%"));
        }

        public void Done()
        {
            if (lastPercent >= 0)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
