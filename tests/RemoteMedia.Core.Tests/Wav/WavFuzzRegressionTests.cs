using RemoteMedia.Audio.Wav;

namespace RemoteMedia.Tests.Wav;

/// <summary>Inputs the fuzzer (tests/RemoteMedia.Fuzz, target "wav") found; each must be a clear RemoteMediaException.</summary>
public class WavFuzzRegressionTests
{
    [Fact]
    public void A_fmt_chunk_cut_short_is_a_clear_error_not_an_end_of_stream_exception()
    {
        // Found by the mutation fuzzer: RIFF/WAVE with a 40-byte (extensible) fmt chunk of which only 30 bytes are present.
        // WavReader used ReadExactly and threw EndOfStreamException.
        var file = Convert.FromHexString(
            "524946465C00000057415645666D742028000000FEFF020080BB000000EE02000400100016001000030000000100");
        var ex = Assert.Throws<RemoteMediaException>(() => WavReader.Open(new MemoryStream(file)));
        Assert.Contains("fmt chunk is truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void Every_truncation_of_a_fmt_chunk_is_a_clear_error(int declared)
    {
        for (int present = 0; present < declared; present++)
        {
            var file = new List<byte>();
            file.AddRange("RIFF"u8.ToArray());
            file.AddRange(BitConverter.GetBytes(4 + 8 + present));
            file.AddRange("WAVEfmt "u8.ToArray());
            file.AddRange(BitConverter.GetBytes(declared));
            file.AddRange(new byte[present]);
            Assert.Throws<RemoteMediaException>(() => WavReader.Open(new MemoryStream(file.ToArray())));
        }
    }

    [Fact]
    public void The_hand_made_fuzz_seeds_read_without_error()
    {
        var dir = Path.Combine(Support.RepoLayout.Root, "tests", "RemoteMedia.Fuzz", "corpus", "wav");
        var files = Directory.GetFiles(dir);
        Assert.NotEmpty(files);
        foreach (var f in files.Where(f => f.EndsWith(".wav", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("regression-", StringComparison.Ordinal)))
        {
            using var reader = WavReader.Open(f);
            var buffer = new byte[1 << 16];
            Assert.True(reader.Read(buffer) > 0, f);
        }
    }
}
