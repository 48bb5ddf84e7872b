using System.Buffers;
using System.CommandLine;
using System.Globalization;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Pipeline;

namespace RemoteMedia.Cli.Commands;

/// <summary><c>remotemedia convert in.wav out.wav</c>: sample format and channel conversion through FormatConverterNode.</summary>
internal static class ConvertCommand
{
    private const int BlockFrames = 4096;

    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "Input WAV (PCM 16/24/32-bit or float32)." };
        var output = new Argument<FileInfo>("output") { Description = "Output WAV." };
        var format = new Option<string>("--format")
        {
            Description = "Output sample format: f32, i16 or i32 (default: keep the input's).",
        };
        format.AcceptOnlyFromAmong("f32", "i16", "i32");
        var channels = new Option<int?>("--channels") { Description = "Output channel count (N->1 averages, 1->N copies)." };
        var rate = new Option<int?>("--rate") { Description = "Output sample rate in Hz (through AudioResampleNode)." };
        var quality = new Option<string>("--quality") { Description = "Resampler quality: low, medium or high.", DefaultValueFactory = _ => "high" };
        quality.AcceptOnlyFromAmong("low", "medium", "high");
        var runtime = CliOptions.Runtime();
        var command = new Command("convert", "Convert a WAV file's sample format, channel count and sample rate.")
        {
            input, output, format, channels, rate, quality, runtime,
        };
        command.SetAction(parse => CliOptions.Guard(() => parse.GetValue(rate) is { } outputRate
            ? Resample(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(format), parse.GetValue(channels), outputRate,
                parse.GetValue(quality)!, parse.GetValue(runtime))
            : Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(format), parse.GetValue(channels), parse.GetValue(runtime))));
        return command;
    }

    /// <summary>With --rate: f32 (and channel mapping) -> AudioResampleNode -> the output format, as a pipeline over the file.</summary>
    private static int Resample(FileInfo inputFile, FileInfo outputFile, string? format, int? channels, int rate, string quality, RuntimeHint runtime)
    {
        AudioFormat inputFormat;
        using (var reader = WavReader.Open(inputFile.FullName))
        {
            inputFormat = reader.Format;
        }
        var target = format ?? inputFormat.Sample.Name();
        var mapping = channels is { } c ? string.Create(CultureInfo.InvariantCulture, $$""","target_channels":{{c}}""") : "";
        using var pipeline = AudioPipeline.CreateBuilder("convert")
            .Then("to_f32", "FormatConverterNode", $$"""{"target_format":"f32"{{mapping}}}""")
            .Then("resample", "AudioResampleNode", string.Create(CultureInfo.InvariantCulture, $$"""{"target_sample_rate":{{rate}},"quality":"{{quality}}"}"""))
            .Then("encode", "FormatConverterNode", $$"""{"target_format":"{{target}}"}""")
            .WithOptions(new PipelineOptions { RuntimeOverride = runtime, EnableMetrics = false })
            .Build();
        pipeline.RunFile(inputFile.FullName, outputFile.FullName);
        var runtimes = string.Join(",", pipeline.Nodes.Select(n => n.Runtime).Distinct());
        Console.Error.WriteLine($"{inputFile.Name}: {inputFormat} -> {outputFile.Name}: {rate} Hz, {target} ({quality}, {runtimes})");
        return 0;
    }

    private static int Run(FileInfo inputFile, FileInfo outputFile, string? format, int? channels, RuntimeHint runtime)
    {
        using var reader = WavReader.Open(inputFile.FullName);
        var target = format ?? reader.Format.Sample.Name();
        var config = channels is { } c
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"target_format":"{{target}}","target_channels":{{c}}}""")
            : $$"""{"target_format":"{{target}}"}""";
        using var node = RemoteMedia.Nodes.Nodes.Create("FormatConverterNode", config, runtime);
        var shape = node.GetOutputShape(reader.Format, BlockFrames);
        var inBuffer = ArrayPool<byte>.Shared.Rent(BlockFrames * reader.Format.BytesPerFrame);
        var outBuffer = ArrayPool<byte>.Shared.Rent(shape.MaxBytes);
        var temp = outputFile.FullName + ".partial";
        try
        {
            using (var writer = WavWriter.Create(temp, shape.Format))
            {
                int read;
                while ((read = reader.Read(inBuffer.AsSpan(0, BlockFrames * reader.Format.BytesPerFrame))) > 0)
                {
                    var chunk = node.Process(reader.Format, inBuffer.AsSpan(0, read), outBuffer);
                    writer.Write(outBuffer.AsSpan(0, chunk.ByteCount));
                }
            }
            File.Move(temp, outputFile.FullName, overwrite: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(inBuffer);
            ArrayPool<byte>.Shared.Return(outBuffer);
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        Console.Error.WriteLine($"{inputFile.Name}: {reader.Format} -> {outputFile.Name}: {shape.Format}, {reader.TotalFrames} frames ({node.Runtime})");
        return 0;
    }
}
