namespace RemoteMedia.Harness.Resample;

/// <summary>Speed of one row at one input rate. Batch in ms per 10 s chunk; stream in ns per 20 ms frame.</summary>
internal sealed record SpeedResult(int InputRate, double BatchMedianMs, double BatchMinMs, int BatchRuns,
    double StreamMedianNs, double StreamP99Ns, double StreamMaxNs, double StreamTotalMs, int StreamFrames);

/// <summary>Quality of one row at one input rate (to 16 kHz), from full-scale sines, 0.5 s edges skipped.</summary>
internal sealed record QualityResult(int InputRate, double Alias9kDbfs, double Alias12kDbfs, double Alias20kDbfs,
    double ThdN1kDb, double ThdN3k4Db, double ThdN7kDb, double Gain1kDb, double Edge7kDb)
{
    public double WorstAliasDbfs => Math.Max(Alias9kDbfs, Math.Max(Alias12kDbfs, Alias20kDbfs));

    public double WorstThdNDb => Math.Max(ThdN1kDb, Math.Max(ThdN3k4Db, ThdN7kDb));
}

/// <summary>One table row: a resampler, its speed and quality per input rate.</summary>
internal sealed class ResultRow(string name, string group, bool stateless)
{
    public string Name { get; } = name;

    public string Group { get; } = group;

    /// <summary>Stateless APIs (Python) resample each stream frame on its own: a per-call cost, wrong at frame edges.</summary>
    public bool Stateless { get; } = stateless;

    public List<SpeedResult> Speed { get; } = [];

    public List<QualityResult> Quality { get; } = [];

    public double? ImportMs { get; set; }

    public double? FirstCallMs { get; set; }

    public double? SecondCallMs { get; set; }

    public SpeedResult? SpeedAt(int rate) => Speed.Find(s => s.InputRate == rate);

    public QualityResult? QualityAt(int rate) => Quality.Find(q => q.InputRate == rate);
}

internal sealed class ResampleRunReport
{
    public required Dictionary<string, string> Machine { get; init; }

    public required Dictionary<string, string> Settings { get; init; }

    public required List<ResultRow> Rows { get; init; }

    public List<string> Notes { get; } = [];
}
