namespace RemoteMedia.Fuzz.Tests;

/// <summary>
/// Every parser that takes outside input, fed (1) every committed seed and regression input and (2) a seeded,
/// bounded stream of mutants. A target may only return or throw its documented rejection (see FuzzTargets);
/// anything else fails the test with the input that caused it.
/// </summary>
public class FuzzCorpusTests
{
    /// <summary>Mutants per target in the normal test run (deterministic: seed 20261124).</summary>
    private const int Mutants = 20_000;

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Keys];

    private static string CorpusDir(string target) => Path.Combine(AppContext.BaseDirectory, "corpus", target);

    private static List<(string Name, byte[] Data)> Corpus(string target) =>
        [.. Directory.GetFiles(CorpusDir(target)).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_seed_and_regression_input_is_handled(string target)
    {
        var corpus = Corpus(target);
        Assert.True(corpus.Count >= 3, $"corpus/{target} has only {corpus.Count} inputs");
        foreach (var (name, data) in corpus)
        {
            Run(target, data, name);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeded_mutants_are_handled(string target)
    {
        var mutator = new Mutator(20261124, [.. Corpus(target).Select(c => c.Data)]);
        for (int i = 0; i < Mutants; i++)
        {
            Run(target, mutator.Next(8 * 1024), $"mutant #{i}");
        }
    }

    private static void Run(string target, byte[] input, string what)
    {
        try
        {
            FuzzTargets.All[target](input);
        }
        catch (Exception e)
        {
            Assert.Fail($"{target}: {what} ({input.Length} bytes, hex {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 256)))}) threw {e}");
        }
    }
}
