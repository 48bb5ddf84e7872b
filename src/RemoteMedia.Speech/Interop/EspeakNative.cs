using System.Runtime.InteropServices;

namespace RemoteMedia.Speech.Interop;

/// <summary>
/// The espeak-ng 1.51 legacy C API (Debian libespeak-ng1), declared with the C names and only
/// blittable types. Every call touches process-global engine state: callers hold
/// <see cref="EspeakEngine"/>'s lock.
/// </summary>
internal static unsafe partial class EspeakNative
{
    public const string Library = "libespeak-ng.so.1";

    // espeak_AUDIO_OUTPUT: synthesis runs inside espeak_Synth and hands samples to the callback.
    public const int AudioOutputSynchronous = 2;

    // Without this flag a missing data directory makes espeak_Initialize call exit(1).
    public const int InitializeDontExit = 0x8000;

    public const int PositionCharacter = 1;
    public const uint CharsUtf8 = 1;

    // espeak_ERROR
    public const int Ok = 0;
    public const int InternalError = -1;
    public const int NotFound = 2;

    // espeak_PARAMETER
    public const int ParameterRate = 1;
    public const int ParameterVolume = 2;
    public const int ParameterPitch = 3;

    // int espeak_Initialize(espeak_AUDIO_OUTPUT output, int buflength, const char *path, int options);
    // Returns the sample rate in Hz, or -1.
    [LibraryImport(Library)]
    public static partial int espeak_Initialize(int output, int bufferMilliseconds, byte* dataPath, int options);

    // void espeak_SetSynthCallback(t_espeak_callback *cb); int cb(short *wav, int numsamples, espeak_EVENT *events)
    [LibraryImport(Library)]
    public static partial void espeak_SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, nint, int> callback);

    // espeak_ERROR espeak_SetVoiceByName(const char *name);
    [LibraryImport(Library)]
    public static partial int espeak_SetVoiceByName(byte* name);

    // espeak_ERROR espeak_SetParameter(espeak_PARAMETER parameter, int value, int relative);
    [LibraryImport(Library)]
    public static partial int espeak_SetParameter(int parameter, int value, int relative);

    // espeak_ERROR espeak_Synth(const void *text, size_t size, unsigned int position, espeak_POSITION_TYPE position_type,
    //                           unsigned int end_position, unsigned int flags, unsigned int *unique_identifier, void *user_data);
    [LibraryImport(Library)]
    public static partial int espeak_Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, nint userData);

    // const char *espeak_Info(const char **path_data); the version string, and the data path in use.
    [LibraryImport(Library)]
    public static partial byte* espeak_Info(byte** dataPath);
}
