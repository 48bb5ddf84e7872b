using System.Runtime.InteropServices;

namespace RemoteMedia.Speech.Interop;

/// <summary>
/// The pocketsphinx 5prealpha C API (Debian libpocketsphinx3 + libsphinxbase3), declared with the C
/// names and only blittable types. Opaque native objects (cmd_ln_t, logmath_t, ps_seg_t) travel as
/// <see cref="nint"/>; the decoder travels as its owning <see cref="SafeDecoderHandle"/>.
/// </summary>
internal static unsafe partial class PocketSphinxNative
{
    public const string PocketSphinxLibrary = "libpocketsphinx.so.3";
    public const string SphinxBaseLibrary = "libsphinxbase.so.3";

    // arg_t const *ps_args(void);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial nint ps_args();

    // cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, arg_t const *defn, int32 argc, char *argv[], int32 strict);
    // Used instead of cmd_ln_init, which is variadic. The parsed config keeps pointers into argv.
    [LibraryImport(SphinxBaseLibrary)]
    public static partial nint cmd_ln_parse_r(nint inoutConfig, nint definitions, int argc, byte** argv, int strict);

    // int cmd_ln_free_r(cmd_ln_t *cmdln); drops one reference.
    [LibraryImport(SphinxBaseLibrary)]
    public static partial int cmd_ln_free_r(nint config);

    // void err_set_logfp(FILE *stream); NULL disables sphinx logging for the whole process.
    [LibraryImport(SphinxBaseLibrary)]
    public static partial void err_set_logfp(nint stream);

    // float64 logmath_exp(logmath_t *lmath, int logb_p);
    [LibraryImport(SphinxBaseLibrary)]
    public static partial double logmath_exp(nint logmath, int logValue);

    // ps_decoder_t *ps_init(cmd_ln_t *config); retains the config.
    [LibraryImport(PocketSphinxLibrary)]
    public static partial nint ps_init(nint config);

    // int ps_free(ps_decoder_t *ps);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_free(nint decoder);

    // int ps_set_jsgf_string(ps_decoder_t *ps, const char *name, const char *jsgf_string);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_set_jsgf_string(SafeDecoderHandle decoder, byte* name, byte* jsgf);

    // int ps_set_lm_file(ps_decoder_t *ps, const char *name, const char *path);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_set_lm_file(SafeDecoderHandle decoder, byte* name, byte* path);

    // int ps_set_search(ps_decoder_t *ps, const char *name);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_set_search(SafeDecoderHandle decoder, byte* name);

    // int ps_start_utt(ps_decoder_t *ps);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_start_utt(SafeDecoderHandle decoder);

    // int ps_process_raw(ps_decoder_t *ps, int16 const *data, size_t n_samples, int no_search, int full_utt);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_process_raw(SafeDecoderHandle decoder, short* data, nuint sampleCount, int noSearch, int fullUtterance);

    // int ps_end_utt(ps_decoder_t *ps);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_end_utt(SafeDecoderHandle decoder);

    // char const *ps_get_hyp(ps_decoder_t *ps, int32 *out_best_score);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial byte* ps_get_hyp(SafeDecoderHandle decoder, int* bestScore);

    // int32 ps_get_prob(ps_decoder_t *ps); log posterior of the hypothesis.
    [LibraryImport(PocketSphinxLibrary)]
    public static partial int ps_get_prob(SafeDecoderHandle decoder);

    // logmath_t *ps_get_logmath(ps_decoder_t *ps); borrowed, owned by the decoder.
    [LibraryImport(PocketSphinxLibrary)]
    public static partial nint ps_get_logmath(SafeDecoderHandle decoder);

    // ps_seg_t *ps_seg_iter(ps_decoder_t *ps);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial nint ps_seg_iter(SafeDecoderHandle decoder);

    // ps_seg_t *ps_seg_next(ps_seg_t *seg); frees the iterator and returns NULL at the end.
    [LibraryImport(PocketSphinxLibrary)]
    public static partial nint ps_seg_next(nint segment);

    // char const *ps_seg_word(ps_seg_t *seg);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial byte* ps_seg_word(nint segment);

    // void ps_seg_frames(ps_seg_t *seg, int *out_sf, int *out_ef); inclusive, in 10 ms frames.
    [LibraryImport(PocketSphinxLibrary)]
    public static partial void ps_seg_frames(nint segment, int* startFrame, int* endFrame);

    // void ps_seg_free(ps_seg_t *seg);
    [LibraryImport(PocketSphinxLibrary)]
    public static partial void ps_seg_free(nint segment);
}
