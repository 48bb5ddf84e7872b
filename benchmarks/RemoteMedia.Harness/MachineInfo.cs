using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RemoteMedia.Harness;

/// <summary>The machine description written next to every result: CPU, cores, OS, .NET and rustc versions.</summary>
internal static class MachineInfo
{
    public static Dictionary<string, string> Describe()
    {
        var lscpu = Run("lscpu") ?? string.Empty;
        string Field(string name) => lscpu.Split('\n').Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim() == name).Select(p => p[1].Trim()).FirstOrDefault() ?? "?";
        var osRelease = File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : [];
        var os = osRelease.FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        var flags = Field("Flags");
        return new Dictionary<string, string>
        {
            ["cpu"] = Field("Model name"),
            ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["simd"] = string.Join(' ', new[] { "avx2", "fma", "avx512f" }.Where(f => flags.Split(' ').Contains(f))),
            ["caches"] = $"L1d {Field("L1d cache")}, L2 {Field("L2 cache")}, L3 {Field("L3 cache")}",
            ["hypervisor"] = Field("Hypervisor vendor"),
            ["os"] = $"{os} ({RuntimeInformation.OSDescription})",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["rustc"] = Run("rustc", "--version")?.Trim() ?? Run(Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cargo/bin/rustc"), "--version")?.Trim() ?? "?",
            ["python"] = Run("/usr/bin/python3", "--version")?.Trim() ?? "?",
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>1, 5 and 15 minute load averages from /proc/loadavg: other jobs share this machine, so this says how far the timings can be trusted.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
