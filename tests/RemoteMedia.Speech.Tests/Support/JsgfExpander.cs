using System.Text.RegularExpressions;

namespace RemoteMedia.Speech.Tests.Support;

/// <summary>
/// Lists every sentence a small, non-recursive JSGF grammar accepts (alternatives, groups, optional
/// parts and rule references; no repeats or weights), so tests can check the grammar against the responder.
/// </summary>
internal static partial class JsgfExpander
{
    public static IReadOnlyList<string> Sentences(string jsgf)
    {
        var text = BlockComment().Replace(LineComment().Replace(jsgf, string.Empty), string.Empty);
        var rules = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? firstPublic = null;
        foreach (var statement in text.Split(';').Select(s => s.Trim()).Where(s => s.Contains('=', StringComparison.Ordinal)))
        {
            var equals = statement.IndexOf('=', StringComparison.Ordinal);
            var head = statement[..equals].Trim();
            var name = RuleName().Match(head).Value;
            rules[name] = Tokenize(statement[(equals + 1)..]);
            if (head.StartsWith("public", StringComparison.Ordinal))
            {
                firstPublic ??= name;
            }
        }
        Assert.NotNull(firstPublic);
        return Expand(rules, rules[firstPublic]).Select(words => string.Join(' ', words)).Distinct().ToList();
    }

    private static List<List<string>> Expand(Dictionary<string, List<string>> rules, List<string> tokens)
    {
        var position = 0;
        var result = ParseAlternatives(rules, tokens, ref position);
        Assert.Equal(tokens.Count, position);
        return result;
    }

    private static List<List<string>> ParseAlternatives(Dictionary<string, List<string>> rules, List<string> tokens, ref int position)
    {
        var all = ParseSequence(rules, tokens, ref position);
        while (position < tokens.Count && tokens[position] == "|")
        {
            position++;
            all.AddRange(ParseSequence(rules, tokens, ref position));
        }
        return all;
    }

    private static List<List<string>> ParseSequence(Dictionary<string, List<string>> rules, List<string> tokens, ref int position)
    {
        var sentences = new List<List<string>> { new() };
        while (position < tokens.Count && tokens[position] is not ("|" or ")" or "]"))
        {
            var token = tokens[position++];
            List<List<string>> item;
            if (token is "(" or "[")
            {
                item = ParseAlternatives(rules, tokens, ref position);
                Assert.Equal(token == "(" ? ")" : "]", tokens[position++]);
                if (token == "[")
                {
                    item.Add([]);
                }
            }
            else if (token.StartsWith('<'))
            {
                item = Expand(rules, rules[token]);
            }
            else
            {
                item = [[token]];
            }
            sentences = sentences.SelectMany(prefix => item.Select(suffix => prefix.Concat(suffix).ToList())).ToList();
        }
        return sentences;
    }

    private static List<string> Tokenize(string body) =>
        Token().Matches(body).Select(m => m.Value).ToList();

    [GeneratedRegex(@"<[^>]+>|[|()\[\]]|[^\s|()\[\]<>]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex RuleName();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();
}
