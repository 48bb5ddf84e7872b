namespace RemoteMedia.VadEval;

internal sealed record EvalOptions(int Clips, string OutputDirectory, bool Speed)
{
    public static EvalOptions Parse(string[] args)
    {
        var clips = 8;
        string? output = null;
        var speed = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clips": clips = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                case "--no-speed": speed = false; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'; use --clips N, --out DIR, --no-speed");
            }
        }
        return new EvalOptions(clips, output ?? Path.Combine(RepoRoot(), "benchmarks", "results"), speed);
    }

    private static string RepoRoot()
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
