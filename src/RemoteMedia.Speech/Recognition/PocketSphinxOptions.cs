namespace RemoteMedia.Speech;

/// <summary>What a <see cref="PocketSphinxRecognizer"/> listens for.</summary>
public enum RecognitionVocabulary
{
    /// <summary>Only the sentences of a JSGF grammar: accurate and fast on a command set (the default).</summary>
    Grammar,

    /// <summary>Pocketsphinx's general en-us language model: open vocabulary, but poor on synthetic voices and ~10x slower.</summary>
    GeneralLanguageModel,
}

/// <summary>Model files and vocabulary of a <see cref="PocketSphinxRecognizer"/>; the defaults are Debian's pocketsphinx-en-us.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Where Debian's <c>pocketsphinx-en-us</c> package installs the US English model.</summary>
    public const string DebianModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    private readonly string? acousticModelPath;
    private readonly string? dictionaryPath;
    private readonly string? languageModelPath;

    /// <summary>The folder holding the acoustic model folder, the dictionary and the language model.</summary>
    public string ModelDirectory { get; init; } = DebianModelDirectory;

    /// <summary>The acoustic model folder (mdef, means, ...); defaults to <c>ModelDirectory/en-us</c>.</summary>
    public string AcousticModelPath
    {
        get => acousticModelPath ?? Path.Combine(ModelDirectory, "en-us");
        init => acousticModelPath = value;
    }

    /// <summary>The pronunciation dictionary; defaults to <c>ModelDirectory/cmudict-en-us.dict</c>.</summary>
    public string DictionaryPath
    {
        get => dictionaryPath ?? Path.Combine(ModelDirectory, "cmudict-en-us.dict");
        init => dictionaryPath = value;
    }

    /// <summary>The general language model, used with <see cref="RecognitionVocabulary.GeneralLanguageModel"/>.</summary>
    public string LanguageModelPath
    {
        get => languageModelPath ?? Path.Combine(ModelDirectory, "en-us.lm.bin");
        init => languageModelPath = value;
    }

    public RecognitionVocabulary Vocabulary { get; init; } = RecognitionVocabulary.Grammar;

    /// <summary>
    /// Decode a decoder's first utterance twice (default true). Pocketsphinx normalizes audio by a running
    /// cepstral mean that starts from the model's prior and adapts at the end of each utterance; until it
    /// has seen one utterance of this voice and channel, words are misheard (on espeak's voice, "turn off"
    /// came out as "turn on" for 34 of 36 first utterances). So the first utterance is kept and decoded
    /// again once the mean has adapted: ~15 ms more per second of audio, once per decoder.
    /// </summary>
    public bool RedecodeFirstUtterance { get; init; } = true;

    /// <summary>Longest first utterance kept for <see cref="RedecodeFirstUtterance"/>; a longer one is decoded once.</summary>
    public TimeSpan MaxRedecodedUtterance { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// More pocketsphinx arguments by name, e.g. <c>["-cmn"] = "batch"</c> (see <c>pocketsphinx_continuous -help</c>).
    /// An unknown name or a bad value makes construction fail.
    /// </summary>
    public IReadOnlyDictionary<string, string> AdditionalArguments { get; init; } = new Dictionary<string, string>();

    /// <summary>JSGF grammar text used with <see cref="RecognitionVocabulary.Grammar"/>; defaults to <see cref="CommandGrammar.Jsgf"/>.</summary>
    public string Grammar { get; init; } = CommandGrammar.Jsgf;
}
