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

    /// <summary>JSGF grammar text used with <see cref="RecognitionVocabulary.Grammar"/>; defaults to <see cref="CommandGrammar.Jsgf"/>.</summary>
    public string Grammar { get; init; } = CommandGrammar.Jsgf;
}
