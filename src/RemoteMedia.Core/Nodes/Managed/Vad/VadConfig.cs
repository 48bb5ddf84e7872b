namespace RemoteMedia.Nodes.Managed.Vad;

/// <summary>VADNode detection modes.</summary>
public enum VadMode
{
    /// <summary>Spectral/statistical detector with aggressiveness and hangover (the default).</summary>
    Robust,

    /// <summary>The original remotemedia VADNode: per-frame RMS above <c>energy_threshold</c>.</summary>
    Energy,
}

/// <summary>VADNode parameters, read with the same rules, defaults and messages as the native node.</summary>
internal sealed record VadConfig(VadMode Mode, int FrameDurationMs, double EnergyThreshold, int Aggressiveness, int HangoverMs, bool GateAudio)
{
    /// <summary>Sample rates the VAD analyses (the WebRTC VAD's set).</summary>
    public static readonly int[] SupportedRates = [8000, 16000, 32000, 48000];

    public static VadConfig Parse(string? json)
    {
        var p = NodeParams.Parse(ManagedVadNode.NodeKind, json);
        var mode = p.Choice("mode", ["robust", "energy"], "robust") == "energy" ? VadMode.Energy : VadMode.Robust;
        var frameMs = (int)p.Int("frame_duration_ms", 10, 30, 30);
        if (frameMs % 10 != 0)
        {
            throw RemoteMediaException.InvalidConfig(
                $"{ManagedVadNode.NodeKind}: parameter 'frame_duration_ms' must be 10, 20 or 30, got {frameMs}");
        }
        var energyThreshold = p.Number("energy_threshold", 0.0, 1.0, 0.02);
        var aggressiveness = (int)p.Int("aggressiveness", 0, 3, 2);
        var hangoverMs = (int)p.Int("hangover_ms", 0, 2000, 150);
        var gate = p.Boolean("gate_audio", false);
        p.Finish();
        return new VadConfig(mode, frameMs, energyThreshold, aggressiveness, hangoverMs, gate);
    }

    public int FrameSamples(int rate) => rate * FrameDurationMs / 1000;
}
