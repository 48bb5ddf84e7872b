using RemoteMedia.Harness.Resample;

namespace RemoteMedia.Harness;

/// <summary>Entry point: `resample [--quick]` runs the resampler comparison and writes benchmarks/results/resample.{md,json}.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "resample")
        {
            Console.Error.WriteLine("usage: RemoteMedia.Harness resample [--quick] [--out DIR]");
            return 2;
        }
        var quick = args.Contains("--quick");
        var outIndex = Array.IndexOf(args, "--out");
        var outDir = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine(RepoRoot(), "benchmarks", "results");
        Directory.CreateDirectory(outDir);
        var report = new ResampleBenchmark(quick).Run();
        ResampleReport.Write(report, outDir);
        Console.WriteLine($"wrote {Path.Combine(outDir, "resample.md")} and resample.json");
        return 0;
    }

    /// <summary>The repository root: the nearest parent holding RemoteMedia.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemoteMedia.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
