using RemoteMedia.Speech.Interop;

namespace RemoteMedia.Speech;

/// <summary>
/// Builds a ready-to-decode pocketsphinx decoder from <see cref="PocketSphinxOptions"/>. Every file is
/// checked first because pocketsphinx reports a missing model only to its log (which we silence) and
/// some of its failure paths end the process.
/// </summary>
internal static unsafe class PocketSphinxDecoderFactory
{
    private const string SearchName = "remotemedia";

    // Wider search beams than pocketsphinx's defaults (1e-48, 7e-29, 1e-48) for the small grammar search:
    // with the defaults, "what day is it" and "thank you" sometimes came back empty (no path reached the
    // end). Measured: +30% decode CPU (still ~17 ms per second of audio), 50/50 grammar sentences exact.
    // Not used with the general LM, where they cost 2.5x.
    private static readonly KeyValuePair<string, string>[] GrammarBeams =
    [
        new("-beam", "1e-80"),
        new("-wbeam", "1e-60"),
        new("-pbeam", "1e-80"),
    ];

    // ps_init and the logging switch touch sphinxbase's process-global error/log state.
    private static readonly object InitGate = new();
    private static bool loggingSilenced;

    public static bool IsAvailable(PocketSphinxOptions options, out string reason) => Diagnose(options, out reason) == ErrorCode.Ok;

    public static SafeDecoderHandle Create(PocketSphinxOptions options)
    {
        var problem = Diagnose(options, out var reason);
        if (problem != ErrorCode.Ok)
        {
            throw new RemoteMediaException(problem, reason);
        }
        if (options.Vocabulary == RecognitionVocabulary.Grammar && string.IsNullOrWhiteSpace(options.Grammar))
        {
            throw new RemoteMediaException(ErrorCode.InvalidConfig, "PocketSphinxOptions.Grammar is empty: give a JSGF grammar or use RecognitionVocabulary.GeneralLanguageModel");
        }

        var tuning = options.Vocabulary == RecognitionVocabulary.Grammar ? GrammarBeams : [];
        var arguments = new NativeStringArray(
        [
            "-hmm", options.AcousticModelPath, "-dict", options.DictionaryPath,
            .. tuning.Where(pair => !options.AdditionalArguments.ContainsKey(pair.Key)).Concat(options.AdditionalArguments).SelectMany(pair => new[] { pair.Key, pair.Value }),
        ]);
        var decoder = new SafeDecoderHandle();
        lock (InitGate)
        {
            if (!loggingSilenced)
            {
                // Sphinx logs every decode to stderr by default; the SDK reports errors through exceptions instead.
                PocketSphinxNative.err_set_logfp(0);
                loggingSilenced = true;
            }
            var config = PocketSphinxNative.cmd_ln_parse_r(0, PocketSphinxNative.ps_args(), arguments.Count, arguments.Pointers, 1);
            if (config == 0)
            {
                arguments.Dispose();
                throw new RemoteMediaException(ErrorCode.InvalidConfig, $"pocketsphinx rejected its configuration arguments (an unknown name or a bad value among: {string.Join(", ", options.AdditionalArguments.Select(pair => $"{pair.Key} {pair.Value}"))})", nameof(PocketSphinxNative.cmd_ln_parse_r));
            }
            var native = PocketSphinxNative.ps_init(config);
            PocketSphinxNative.cmd_ln_free_r(config); // the decoder holds its own reference
            if (native == 0)
            {
                arguments.Dispose();
                throw new RemoteMediaException(ErrorCode.InvalidConfig,
                    $"pocketsphinx could not load the acoustic model {options.AcousticModelPath} with dictionary {options.DictionaryPath}",
                    nameof(PocketSphinxNative.ps_init));
            }
            decoder.Adopt(native, arguments);
        }

        try
        {
            AddSearch(decoder, options);
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    private static void AddSearch(SafeDecoderHandle decoder, PocketSphinxOptions options)
    {
        var name = Utf8.Terminated(SearchName);
        fixed (byte* namePointer = name)
        {
            if (options.Vocabulary == RecognitionVocabulary.Grammar)
            {
                fixed (byte* grammar = Utf8.Terminated(options.Grammar))
                {
                    if (PocketSphinxNative.ps_set_jsgf_string(decoder, namePointer, grammar) < 0)
                    {
                        throw new RemoteMediaException(ErrorCode.InvalidConfig, DescribeGrammarFailure(options), nameof(PocketSphinxNative.ps_set_jsgf_string));
                    }
                }
            }
            else
            {
                fixed (byte* path = Utf8.Terminated(options.LanguageModelPath))
                {
                    if (PocketSphinxNative.ps_set_lm_file(decoder, namePointer, path) < 0)
                    {
                        throw new RemoteMediaException(ErrorCode.InvalidConfig, $"pocketsphinx could not load the language model {options.LanguageModelPath}", nameof(PocketSphinxNative.ps_set_lm_file));
                    }
                }
            }
            if (PocketSphinxNative.ps_set_search(decoder, namePointer) < 0)
            {
                throw new RemoteMediaException(ErrorCode.Internal, "pocketsphinx could not activate its search", nameof(PocketSphinxNative.ps_set_search));
            }
        }
    }

    /// <summary>Ok, NotSupported (a library is missing) or InvalidConfig (a model file is missing), with the reason.</summary>
    private static ErrorCode Diagnose(PocketSphinxOptions options, out string reason)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!NativeSpeechLibraries.TryEnsure(PocketSphinxNative.PocketSphinxLibrary, "libpocketsphinx3", out reason)
            || !NativeSpeechLibraries.TryEnsure(PocketSphinxNative.SphinxBaseLibrary, "libsphinxbase3", out reason))
        {
            return ErrorCode.NotSupported;
        }
        reason = MissingModelFile(options) ?? string.Empty;
        return reason.Length == 0 ? ErrorCode.Ok : ErrorCode.InvalidConfig;
    }

    /// <summary>Names the grammar words missing from the dictionary, the usual reason a grammar fails.</summary>
    private static string DescribeGrammarFailure(PocketSphinxOptions options)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(options.DictionaryPath))
        {
            var end = line.IndexOf(' ', StringComparison.Ordinal);
            if (end > 0)
            {
                known.Add(line[..end]);
            }
        }
        var missing = CommandGrammar.Words(options.Grammar).Where(w => !known.Contains(w)).ToList();
        return missing.Count > 0
            ? $"the JSGF grammar uses words missing from {options.DictionaryPath}: {string.Join(", ", missing)}"
            : "the JSGF grammar did not compile (check its syntax: a '#JSGF V1.0;' header, a grammar name and at least one public rule)";
    }

    private static string? MissingModelFile(PocketSphinxOptions options)
    {
        const string package = "the Debian package pocketsphinx-en-us provides the default model";
        if (!File.Exists(Path.Combine(options.AcousticModelPath, "mdef")))
        {
            return $"pocketsphinx acoustic model not found: {options.AcousticModelPath}/mdef does not exist ({package}; {NativeSpeechLibraries.SetupHint})";
        }
        if (!File.Exists(options.DictionaryPath))
        {
            return $"pocketsphinx dictionary not found: {options.DictionaryPath} ({package}; {NativeSpeechLibraries.SetupHint})";
        }
        if (options.Vocabulary == RecognitionVocabulary.GeneralLanguageModel && !File.Exists(options.LanguageModelPath))
        {
            return $"pocketsphinx language model not found: {options.LanguageModelPath} ({package}; {NativeSpeechLibraries.SetupHint})";
        }
        return null;
    }
}
