using System.Runtime.InteropServices;

namespace RemoteMedia.Tests.Vad.Corpus;

/// <summary>
/// The WebRTC GMM VAD (the peer we measure against), exported without a header by Debian's
/// <c>libwebrtc_audio_processing.so.1</c> (package <c>libwebrtc-audio-processing1</c>).
/// </summary>
public sealed unsafe partial class WebRtcVad : IDisposable
{
    public const string Library = "libwebrtc_audio_processing.so.1";
    private nint handle;

    public WebRtcVad(int mode)
    {
        try
        {
            handle = WebRtcVad_Create();
        }
        catch (DllNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"{Library} is required for the WebRTC VAD comparison but could not be loaded; install it with `apt-get install -y libwebrtc-audio-processing1` (or `./build.sh setup`)", ex);
        }
        if (handle == 0 || WebRtcVad_Init(handle) != 0 || WebRtcVad_set_mode(handle, mode) != 0)
        {
            Dispose();
            throw new InvalidOperationException($"WebRtcVad create/init/set_mode({mode}) failed");
        }
    }

    /// <summary>Decides consecutive frames of <paramref name="frameSamples"/> (10/20/30 ms) of f32 audio; the remainder is dropped.</summary>
    public List<bool> Decide(ReadOnlySpan<float> samples, int rate, int frameSamples)
    {
        var pcm = new short[frameSamples];
        var decisions = new List<bool>(samples.Length / frameSamples);
        for (var offset = 0; offset + frameSamples <= samples.Length; offset += frameSamples)
        {
            for (var i = 0; i < frameSamples; i++)
            {
                pcm[i] = (short)Math.Clamp(Math.Round(samples[offset + i] * 32767.0), short.MinValue, short.MaxValue);
            }
            int result;
            fixed (short* p = pcm)
            {
                result = WebRtcVad_Process(handle, rate, p, (nuint)frameSamples);
            }
            if (result < 0)
            {
                throw new InvalidOperationException($"WebRtcVad_Process({rate} Hz, {frameSamples} samples) failed");
            }
            decisions.Add(result == 1);
        }
        return decisions;
    }

    public void Dispose()
    {
        if (handle != 0)
        {
            WebRtcVad_Free(handle);
            handle = 0;
        }
    }

    [LibraryImport(Library)]
    private static partial nint WebRtcVad_Create();

    [LibraryImport(Library)]
    private static partial int WebRtcVad_Init(nint handle);

    [LibraryImport(Library)]
    private static partial int WebRtcVad_set_mode(nint handle, int mode);

    [LibraryImport(Library)]
    private static partial int WebRtcVad_Process(nint handle, int rate, short* frame, nuint length);

    [LibraryImport(Library)]
    private static partial void WebRtcVad_Free(nint handle);
}
