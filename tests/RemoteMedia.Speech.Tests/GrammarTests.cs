using RemoteMedia.Speech.Tests.Support;

namespace RemoteMedia.Speech.Tests;

/// <summary>The shipped grammar and the responder cover each other, and the dictionary covers the grammar.</summary>
public class GrammarTests
{
    [Fact]
    public void Grammar_is_embedded_and_has_a_public_rule()
    {
        Assert.StartsWith("#JSGF V1.0;", CommandGrammar.Jsgf, StringComparison.Ordinal);
        Assert.Contains("public <command>", CommandGrammar.Jsgf, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_grammar_sentence_is_understood_by_the_responder()
    {
        var sentences = JsgfExpander.Sentences(CommandGrammar.Jsgf);
        Assert.Contains("please turn on the kitchen lights", sentences);
        Assert.Contains("turn off all the lights", sentences);
        Assert.Equal(50, sentences.Count); // 36 light switches, 8 light questions, 6 conversation commands

        var notUnderstood = sentences.Where(s => !new CommandResponder().Respond(s).Understood).ToList();

        Assert.Empty(notUnderstood);
    }

    [Fact]
    public void Every_room_of_the_responder_is_in_the_grammar()
    {
        var sentences = JsgfExpander.Sentences(CommandGrammar.Jsgf);
        foreach (var room in CommandResponder.Rooms)
        {
            Assert.Contains($"turn on the {room} lights", sentences);
            Assert.Contains($"are the {room} lights on", sentences);
        }
    }

    [Fact]
    public void Every_grammar_word_is_in_the_pronunciation_dictionary()
    {
        SpeechEngines.RequirePocketSphinx();
        var dictionary = new PocketSphinxOptions().DictionaryPath;
        var known = File.ReadLines(dictionary).Select(line => line.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);

        var missing = CommandGrammar.Words(CommandGrammar.Jsgf).Where(w => !known.Contains(w)).ToList();

        Assert.Empty(missing);
        Assert.Contains("kitchen", CommandGrammar.Words(CommandGrammar.Jsgf));
        Assert.DoesNotContain("public", CommandGrammar.Words(CommandGrammar.Jsgf));
    }
}
