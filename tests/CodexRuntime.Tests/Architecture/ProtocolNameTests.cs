using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CodexRuntime.Protocol;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Tests.Architecture;

/// <summary>
/// codex's method names are spelled once, in the generated table (<c>CodexRuntime.Protocol.Names</c>, ProtocolNames.g.cs):
/// hand-written code switches on its constants, so a renamed or removed method breaks the build instead of a string
/// comparison that silently stops matching.
/// </summary>
public sealed partial class ProtocolNameTests
{
    private const string NamesNamespace = "CodexRuntime.Protocol.Names";

    [Fact]
    public void The_table_holds_every_method_notification_and_server_request_of_the_catalog()
    {
        var table = TableNames();
        var catalog = CodexMethods.All.Select(m => m.Name)
            .Concat(CodexNotifications.All.Select(n => n.Method))
            .Concat(CodexServerRequests.All.Select(r => r.Method))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(catalog.Except(table));
        Assert.Contains("initialized", table);
        Assert.True(catalog.Count > 250, $"only {catalog.Count} catalog names: the scan below would prove little");
    }

    [Fact]
    public void No_source_file_spells_a_codex_method_name_outside_the_generated_table()
    {
        var names = TableNames();
        var src = Path.Combine(RepositoryLayout.Root, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith(".g.cs", StringComparison.Ordinal))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .SelectMany(path => Offenders(File.ReadAllText(path), names)
                .Select(offender => $"{Path.GetRelativePath(src, path).Replace('\\', '/')}:{offender}"))
            .ToList();

        Assert.True(
            offenders.Count == 0,
            $"{offenders.Count} codex method name(s) spelled as string literals; use the constants of {NamesNamespace} " +
            "(CodexNotificationNames, CodexMethodNames, CodexServerRequestNames) or, outside the core, CodexMethods.X.Name / " +
            "CodexNotifications.X.Method:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void The_scan_finds_names_in_code_and_leaves_json_members_comments_and_utf8_literals_alone()
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "turn/completed", "error", "initialize", "configWarning" };
        const string Source = """
            // "turn/completed" in a comment
            /// <c>{ "error": 1 }</c>
            switch (message.Method)
            {
                case "turn/completed": break;
                case "error": break;
            }
            if (message.Method is not ("configWarning" or "other")) { }
            await InvokeAsync<InitializeResponse>("initialize", request);
            var body = new JsonObject { ["error"] = new JsonObject() };
            writer.WriteStartObject("error"u8);
            switch (member.Name)
            {
                case "error" when member.Value.ValueKind == JsonValueKind.Object: break;
            }
            var outcome = answer.Decision ?? (answer.Result is not null ? "result" : "error");
            var quote = '"'; var text = "turn/completed is done";
            """;

        var found = Offenders(Source, names).ToList();

        Assert.Equal(["5: \"turn/completed\"", "6: \"error\"", "8: \"configWarning\"", "9: \"initialize\""], found);
    }

    /// <summary>Every constant of the generated names table, read by reflection (it is internal to the core).</summary>
    private static HashSet<string> TableNames() =>
        typeof(CodexMethods).Assembly.GetTypes()
            .Where(type => type.Namespace == NamesNamespace)
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The string literals of <paramref name="source"/> that spell a codex method, as "line: literal". A name with a
    /// slash or a capital (<c>turn/completed</c>, <c>configWarning</c>) counts wherever it is; a plain word
    /// (<c>error</c>, <c>warning</c>, <c>initialize</c>) is also an ordinary JSON member or label, so it counts only
    /// where it is matched against or sent as a method: in a switch on something named method, in a statement that
    /// names a method, or as the first argument of an Invoke/Notify/Request/Call/Send/Handle call.
    /// </summary>
    private static IEnumerable<string> Offenders(string source, IReadOnlySet<string> names)
    {
        var code = WithoutComments(source);
        var switches = new Stack<(string Subject, int Depth)>();
        var depth = 0;
        var statementStart = 0;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '\'')
            {
                i = SkipChar(code, i);
                continue;
            }

            if (c is ';' or '{' or '}')
            {
                statementStart = i + 1;
                if (c == '{')
                {
                    depth++;
                    var head = code[LastStatementStart(code, i)..i];
                    if (SwitchHead().Match(head) is { Success: true } match)
                    {
                        switches.Push((match.Groups["subject"].Value, depth));
                    }
                }
                else if (c == '}')
                {
                    while (switches.Count > 0 && switches.Peek().Depth >= depth)
                    {
                        switches.Pop();
                    }

                    depth--;
                }

                continue;
            }

            if (c != '"')
            {
                continue;
            }

            var (value, end, utf8) = ReadLiteral(code, i);
            if (!utf8 && names.Contains(value))
            {
                var plainWord = !value.Contains('/', StringComparison.Ordinal) && value.All(ch => !char.IsUpper(ch));
                var before = code[statementStart..i];
                if (!plainWord
                    || (switches.Count > 0 && MethodWord().IsMatch(switches.Peek().Subject))
                    || MethodWord().IsMatch(before)
                    || SendCall().IsMatch(before))
                {
                    yield return $"{Line(code, i)}: \"{value}\"";
                }
            }

            i = end;
        }
    }

    /// <summary>Where the statement that ends at <paramref name="at"/> starts (after the previous <c>;</c>, <c>{</c> or <c>}</c>).</summary>
    private static int LastStatementStart(string code, int at) => code.LastIndexOfAny([';', '{', '}'], at - 1) + 1;

    private static int Line(string code, int at) => code.AsSpan(0, at).Count('\n') + 1;

    /// <summary>Reads the literal that starts at <paramref name="start"/> (regular, verbatim, interpolated or raw).</summary>
    private static (string Value, int End, bool Utf8) ReadLiteral(string code, int start)
    {
        var prefix = start;
        while (prefix > 0 && code[prefix - 1] is '@' or '$')
        {
            prefix--;
        }

        var verbatim = code.AsSpan(prefix, start - prefix).Contains('@');
        var text = new StringBuilder();
        int end;
        if (code.AsSpan(start).StartsWith("\"\"\""))
        {
            var quotes = 0;
            while (code[start + quotes] == '"')
            {
                quotes++;
            }

            var close = code.IndexOf(new string('"', quotes), start + quotes, StringComparison.Ordinal);
            text.Append(code, start + quotes, close - start - quotes);
            end = close + quotes - 1;
        }
        else
        {
            end = start + 1;
            while (end < code.Length)
            {
                if (code[end] == '\\' && !verbatim)
                {
                    text.Append(code[end + 1]);
                    end += 2;
                    continue;
                }

                if (code[end] == '"')
                {
                    if (verbatim && end + 1 < code.Length && code[end + 1] == '"')
                    {
                        text.Append('"');
                        end += 2;
                        continue;
                    }

                    break;
                }

                text.Append(code[end]);
                end++;
            }
        }

        var utf8 = code.AsSpan(end + 1).StartsWith("u8", StringComparison.Ordinal);
        return (text.ToString(), end, utf8);
    }

    /// <summary>Skips a character literal such as <c>'"'</c> or <c>'\''</c>; returns the index of its closing quote.</summary>
    private static int SkipChar(string code, int start)
    {
        var end = start + 1;
        if (end < code.Length && code[end] == '\\')
        {
            end++;
        }

        var close = code.IndexOf('\'', end + 1);
        return close < 0 ? start : close;
    }

    /// <summary>The source with comments blanked (line breaks kept, so line numbers stay right); literals are left as they are.</summary>
    private static string WithoutComments(string source)
    {
        var text = source.ToCharArray();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                var (_, end, _) = ReadLiteral(source, i);
                i = end;
            }
            else if (text[i] == '\'')
            {
                i = SkipChar(source, i);
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    text[i++] = ' ';
                }
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var close = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var stop = close < 0 ? text.Length : close + 2;
                for (; i < stop; i++)
                {
                    text[i] = text[i] == '\n' ? '\n' : ' ';
                }

                i--;
            }
        }

        return new string(text);
    }

    /// <summary>A switch statement's <c>switch (subject)</c> or a switch expression's <c>subject switch</c> right before its brace.</summary>
    [GeneratedRegex(@"(\bswitch\s*\((?<subject>.*)\)|(?<subject>[\w.?\[\]()]+)\s+switch)\s*$", RegexOptions.Singleline)]
    private static partial Regex SwitchHead();

    [GeneratedRegex(@"method", RegexOptions.IgnoreCase)]
    private static partial Regex MethodWord();

    /// <summary>The literal is the first argument of a call that sends or registers a method.</summary>
    [GeneratedRegex(@"\b\w*(Invoke|Notify|Request|Call|Send|Handle)\w*(<[^()]*>)?\(\s*$")]
    private static partial Regex SendCall();
}
