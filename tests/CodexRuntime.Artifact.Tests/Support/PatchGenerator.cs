using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>Seeded random documents (mixed <c>\n</c> / <c>\r\n</c>, lone <c>\r</c>, with or without a final ending) and patches over them.</summary>
internal sealed class PatchGenerator(int seed)
{
    private static readonly string[] Endings = ["\n", "\r\n"];
    private static readonly string[] Words = ["alpha", "beta", "# Title", "- item", "", " ", "a\rb", "ü€", "\t"];

    private readonly Random _random = new(seed);

    public string Document()
    {
        var lines = _random.Next(0, 12);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            text.Append(Words[_random.Next(Words.Length)]);
            var last = i == lines - 1;
            if (!last || _random.Next(3) > 0)
            {
                text.Append(Endings[_random.Next(Endings.Length)]);
            }
            else if (text.Length == 0 || text[^1] == '\n')
            {
                text.Append('x'); // a last line without ending still has content, else it would not be a line
            }
        }

        return text.ToString();
    }

    public string Replacement() => _random.Next(4) switch
    {
        0 => string.Empty,
        1 => Words[_random.Next(Words.Length)],
        _ => string.Concat(Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Words[_random.Next(Words.Length)] + Endings[_random.Next(Endings.Length)])),
    };

    /// <summary>A valid patch: 2k boundaries in [1, lines + 1], sorted, paired (so each edit starts at or after the previous end).</summary>
    public DocPatch ValidPatch(string text)
    {
        var count = PatchReference.Lines(text).Count;
        var edits = _random.Next(0, 5);
        var bounds = Enumerable.Range(0, edits * 2).Select(_ => _random.Next(1, count + 2)).Order().ToArray();
        var list = Enumerable.Range(0, edits).Select(i => new DocPatchEdit(bounds[2 * i], bounds[(2 * i) + 1], Replacement())).ToList();
        return new DocPatch("markdown", DocPatches.ComputeRevision(text), list);
    }

    /// <summary>Any numbers at all, revision right or wrong: the library and the reference must agree on every verdict.</summary>
    public DocPatch AnyPatch(string text)
    {
        var count = PatchReference.Lines(text).Count;
        var list = Enumerable.Range(0, _random.Next(0, 5)).Select(_ => new DocPatchEdit(_random.Next(-1, count + 4), _random.Next(-1, count + 4), Replacement())).ToList();
        var revision = _random.Next(8) == 0 ? DocPatches.ComputeRevision(text + "x") : DocPatches.ComputeRevision(text);
        return new DocPatch("markdown", revision, list);
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);
}
