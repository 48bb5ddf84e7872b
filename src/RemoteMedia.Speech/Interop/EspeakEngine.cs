using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RemoteMedia.Speech.Interop;

/// <summary>
/// The process-wide espeak-ng engine. espeak-ng keeps its voice, parameters and output callback in
/// globals and is not thread-safe, so every call happens under <see cref="Gate"/>; it is initialized
/// once and never terminated (re-initializing after espeak_Terminate is unreliable in 1.51).
/// </summary>
internal static unsafe class EspeakEngine
{
    public static readonly object Gate = new();

    private static int sampleRate;
    private static string? initializedDataPath;
    private static string? currentVoice;

    // The buffer of the synthesis in progress; only touched under Gate and from the callback, which
    // synchronous mode runs on the calling thread inside espeak_Synth.
    private static IBufferWriter<short>? sink;

    /// <summary>Initializes the engine if needed and returns its sample rate. Caller holds <see cref="Gate"/>.</summary>
    public static int EnsureInitialized(string? dataPath)
    {
        if (sampleRate > 0)
        {
            if (dataPath is not null && dataPath != initializedDataPath)
            {
                throw new RemoteMediaException(ErrorCode.InvalidConfig,
                    $"espeak-ng is process-global and already initialized with data path '{initializedDataPath ?? "(default)"}', not '{dataPath}'");
            }
            return sampleRate;
        }
        NativeSpeechLibraries.Ensure(EspeakNative.Library, "libespeak-ng1");
        int rate;
        fixed (byte* path = dataPath is null ? null : Utf8.Terminated(dataPath))
        {
            rate = EspeakNative.espeak_Initialize(EspeakNative.AudioOutputSynchronous, 0, path, EspeakNative.InitializeDontExit);
        }
        if (rate <= 0)
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig,
                $"espeak-ng could not initialize: its voice data was not found in {dataPath ?? "the default location"} " +
                $"(the Debian package espeak-ng-data provides it; {NativeSpeechLibraries.SetupHint})",
                nameof(EspeakNative.espeak_Initialize));
        }
        EspeakNative.espeak_SetSynthCallback(&OnSamples);
        initializedDataPath = dataPath;
        return sampleRate = rate;
    }

    /// <summary>Applies the voice and parameters for the next synthesis. Caller holds <see cref="Gate"/>.</summary>
    public static void Apply(EspeakOptions options)
    {
        if (currentVoice != options.Voice)
        {
            int status;
            fixed (byte* name = Utf8.Terminated(options.Voice))
            {
                status = EspeakNative.espeak_SetVoiceByName(name);
            }
            if (status != EspeakNative.Ok)
            {
                throw new RemoteMediaException(ErrorCode.InvalidConfig,
                    $"espeak-ng has no voice named '{options.Voice}' (list them with `espeak-ng --voices`)", nameof(EspeakNative.espeak_SetVoiceByName));
            }
            currentVoice = options.Voice;
        }
        SetParameter(EspeakNative.ParameterRate, options.WordsPerMinute);
        SetParameter(EspeakNative.ParameterPitch, options.Pitch);
        SetParameter(EspeakNative.ParameterVolume, options.Volume);
    }

    /// <summary>Synthesizes UTF-8 text into <paramref name="destination"/>. Caller holds <see cref="Gate"/>.</summary>
    public static void Synthesize(ReadOnlySpan<byte> utf8WithTerminator, IBufferWriter<short> destination)
    {
        sink = destination;
        try
        {
            int status;
            fixed (byte* text = utf8WithTerminator)
            {
                status = EspeakNative.espeak_Synth(text, (nuint)utf8WithTerminator.Length, 0, EspeakNative.PositionCharacter, 0, EspeakNative.CharsUtf8, null, 0);
            }
            if (status != EspeakNative.Ok)
            {
                throw new RemoteMediaException(ErrorCode.Internal, $"espeak_Synth failed with status {status}", nameof(EspeakNative.espeak_Synth));
            }
        }
        finally
        {
            sink = null;
        }
    }

    /// <summary>The library version, e.g. "1.51". Caller holds <see cref="Gate"/> after initialization.</summary>
    public static string Version()
    {
        byte* dataPath;
        return Marshal.PtrToStringUTF8((nint)EspeakNative.espeak_Info(&dataPath)) ?? string.Empty;
    }

    private static void SetParameter(int parameter, int value)
    {
        var status = EspeakNative.espeak_SetParameter(parameter, value, 0);
        if (status != EspeakNative.Ok)
        {
            throw new RemoteMediaException(ErrorCode.Internal, $"espeak_SetParameter({parameter}, {value}) failed with status {status}", nameof(EspeakNative.espeak_SetParameter));
        }
    }

    // Returning 0 continues synthesis. No exception may escape into native code, and an
    // IBufferWriter<short> append can only fail on out-of-memory, which ends the process anyway.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnSamples(short* samples, int count, nint events)
    {
        if (samples != null && count > 0 && sink is not null)
        {
            var span = sink.GetSpan(count);
            new ReadOnlySpan<short>(samples, count).CopyTo(span);
            sink.Advance(count);
        }
        return 0;
    }
}
