namespace RemoteMedia.VadEval;

internal sealed record EvalOptions(int Clips, string OutputDirectory, bool Speed, bool HeldOut)
{
    public static EvalOptions Parse(string[] args)
    {
        var clips = 8;
        string? output = null;
        var speed = true;
        var heldOut = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clips": clips = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                case "--no-speed": speed = false; break;
                case "--held-out": heldOut = true; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'; use --clips N, --out DIR, --no-speed, --held-out");
            }
        }
        return new EvalOptions(clips, output ?? Path.Combine(RepoRoot(), "benchmarks", "results"), speed, heldOut);
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
