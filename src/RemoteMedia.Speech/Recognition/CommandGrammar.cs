using System.Text.RegularExpressions;

namespace RemoteMedia.Speech;

/// <summary>
/// The JSGF grammar of the built-in command vocabulary (the sentences <see cref="CommandResponder"/>
/// answers), shipped inside this assembly as <c>Grammars/commands.gram</c>.
/// </summary>
public static partial class CommandGrammar
{
    private static readonly Lazy<string> Text = new(Load);

    public static string Jsgf => Text.Value;

    /// <summary>Every distinct word the grammar can produce, for checking them against a dictionary.</summary>
    public static IReadOnlySet<string> Words(string jsgf)
    {
        ArgumentNullException.ThrowIfNull(jsgf);
        var withoutComments = BlockComment().Replace(LineComment().Replace(jsgf, string.Empty), string.Empty);
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var statement in withoutComments.Split(';'))
        {
            var equals = statement.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue; // header, grammar name
            }
            var body = RuleReference().Replace(statement[(equals + 1)..], " ");
            foreach (var token in body.Split([' ', '\t', '\r', '\n', '|', '(', ')', '[', ']', '*', '+'], StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(token);
            }
        }
        return words;
    }

    private static string Load()
    {
        const string name = "RemoteMedia.Speech.Grammars.commands.gram";
        using var stream = typeof(CommandGrammar).Assembly.GetManifestResourceStream(name)
            ?? throw new RemoteMediaException(ErrorCode.Internal, $"embedded resource {name} is missing from {typeof(CommandGrammar).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex RuleReference();
}
