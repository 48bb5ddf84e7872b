using System.Runtime.InteropServices;
using RemoteMedia.Audio.Wav;
using RemoteMedia.Tests.Support;

namespace RemoteMedia.Tests.Cli;

/// <summary>`remotemedia convert` end to end, in a child process, on the bundled sample.</summary>
public class ConvertCommandTests
{
    private static string CliDll => Path.Combine(RepoLayout.CliDirectory, "remotemedia.dll");

    private static string Sample => Path.Combine(RepoLayout.Root, "samples", "speech-48k-stereo.wav");

    [Theory]
    [InlineData("auto")]
    [InlineData("managed")]
    public void Converts_the_sample_to_mono_float_with_averaged_channels(string runtime)
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out.wav");
        var result = ChildProcess.RunDotnet(CliDll, ["convert", Sample, output, "--format", "f32", "--channels", "1", "--runtime", runtime]);
        Assert.True(result.ExitCode == 0, result.All);

        var (inFormat, inData) = WavReader.ReadAll(Sample);
        var (outFormat, outData) = WavReader.ReadAll(output);
        Assert.Equal(AudioFormat.F32(48000, 1), outFormat);
        var stereo = MemoryMarshal.Cast<byte, short>(inData);
        var mono = MemoryMarshal.Cast<byte, float>(outData);
        Assert.Equal(stereo.Length / 2, mono.Length);
        for (var i = 0; i < mono.Length; i += 97)
        {
            Assert.Equal((float)(((stereo[2 * i] / 32768.0) + (stereo[(2 * i) + 1] / 32768.0)) / 2), mono[i]);
        }
        Assert.Equal(AudioFormat.S16(48000, 2), inFormat);
    }

    [Theory]
    [InlineData("auto", "high")]
    [InlineData("managed", "low")]
    public void Resamples_with_the_exact_output_length(string runtime, string quality)
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out16k.wav");
        var result = ChildProcess.RunDotnet(CliDll, ["convert", Sample, output, "--rate", "16000", "--channels", "1", "--format", "i16", "--quality", quality, "--runtime", runtime]);
        Assert.True(result.ExitCode == 0, result.All);
        using var source = WavReader.Open(Sample);
        using var converted = WavReader.Open(output);
        Assert.Equal(AudioFormat.S16(16000, 1), converted.Format);
        Assert.Equal((long)Math.Round(source.TotalFrames * 16000.0 / 48000), converted.TotalFrames);

        var bad = ChildProcess.RunDotnet(CliDll, ["convert", Sample, output + ".bad", "--rate", "0"]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("target_sample_rate", bad.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output + ".bad"));
    }

    [Fact]
    public void Bad_arguments_and_inputs_give_one_line_errors_and_no_output_file()
    {
        using var temp = new TempDirectory();
        var notWav = Path.Combine(temp.Path, "notes.txt");
        File.WriteAllText(notWav, "not audio");
        var output = Path.Combine(temp.Path, "out.wav");

        var bad = ChildProcess.RunDotnet(CliDll, ["convert", notWav, output]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a RIFF/WAVE file", bad.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));

        var missing = ChildProcess.RunDotnet(CliDll, ["convert", Path.Combine(temp.Path, "missing.wav"), output]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing.wav", missing.StdErr, StringComparison.Ordinal);

        var badFormat = ChildProcess.RunDotnet(CliDll, ["convert", Sample, output, "--format", "u8"]);
        Assert.NotEqual(0, badFormat.ExitCode);
        Assert.Contains("u8", badFormat.All, StringComparison.Ordinal);

        var badMap = ChildProcess.RunDotnet(CliDll, ["convert", Sample, output, "--channels", "3"]);
        Assert.Equal(1, badMap.ExitCode);
        Assert.Contains("2 channels to 3", badMap.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
