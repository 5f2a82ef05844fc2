using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CodexRuntime.ProtocolGenerator;

/// <summary>
/// Turns the codex app-server JSON schema into C#: records for objects, enums for string enums, unions with an
/// Unrecognized case, a method catalog and the serializer context registrations. Output is deterministic (ordinal order,
/// "\n" line ends), so regenerating from the same schema reproduces the files byte for byte.
/// </summary>
internal sealed class Generator
{
    public const string Namespace = "CodexRuntime.Protocol";

    /// <summary>
    /// The names table's namespace: a leaf under Protocol, so layers Protocol itself uses (Safety) can name codex's
    /// methods without a namespace loop.
    /// </summary>
    public const string NamesNamespace = Namespace + ".Names";
    private const string JsonElementType = "global::System.Text.Json.JsonElement";

    /// <summary>The envelope unions: they become the catalog, not types.</summary>
    private static readonly HashSet<string> Envelopes = new(StringComparer.Ordinal)
    {
        "ClientRequest", "ServerNotification", "ServerRequest", "ClientNotification",
        "JSONRPCMessage", "JSONRPCRequest", "JSONRPCNotification", "JSONRPCResponse", "JSONRPCError", "JSONRPCErrorError",
    };

    private readonly SchemaSet _pinned;
    private readonly SchemaSet _floor;

    /// <summary>Schema definition name -> generated type name, for names that clash with types user code sees through ImplicitUsings.</summary>
    private readonly Dictionary<string, string> _renames;

    /// <summary>Every checked-in schema older than the pinned one, oldest (the floor) first.</summary>
    private readonly IReadOnlyList<SchemaSet> _older;
    private readonly IReadOnlyDictionary<string, JsonObject> _defs;
    private readonly string _command;

    private readonly SortedDictionary<string, string> _typeCode = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _converterCode = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _serializable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);

    /// <summary>Generated record types (name -> true when it collects experimental fields itself).</summary>
    private readonly HashSet<string> _objectTypes = new(StringComparer.Ordinal);

    /// <summary>
    /// Types registered on the serializer context. Only roots are listed (catalog payloads, unions and their cases);
    /// the source generator reaches every nested record and enum from them. Listing all ~1,100 types explicitly trips a
    /// duplicate-hint-name failure in the System.Text.Json source generator.
    /// </summary>
    private readonly SortedSet<string> _roots = new(StringComparer.Ordinal);

    /// <summary>Stable client requests, for the typed helpers of <c>AppServer</c>.</summary>
    private readonly List<(string Method, string Member, string Params, string Result, string? Description)> _stableRequests = [];

    /// <summary>
    /// The method-name constants of each catalog class (catalog class -> member, method), emitted as const strings so hand-written
    /// code can <c>switch</c> on them; the catalog's entries are built from the same constants, so each name is written once.
    /// </summary>
    private readonly SortedDictionary<string, List<(string Member, string Method)>> _names = new(StringComparer.Ordinal);

    /// <summary>Generated union base types.</summary>
    private readonly HashSet<string> _unions = new(StringComparer.Ordinal);

    /// <param name="pinned">The schema the types are generated from.</param>
    /// <param name="older">The floor's schema and those of releases between it and the pinned one.</param>
    /// <param name="regenerateCommand">Written at the top of each file.</param>
    /// <param name="reservedNames">Type names the generated code must not use (see <c>ImplicitUsingTypes</c>): such a definition is generated as <c>Codex</c> + its name.</param>
    public Generator(SchemaSet pinned, IReadOnlyList<SchemaSet> older, string regenerateCommand, IReadOnlySet<string> reservedNames)
    {
        _renames = pinned.Experimental.Keys.Where(reservedNames.Contains).ToDictionary(name => name, name => "Codex" + name, StringComparer.Ordinal);
        _pinned = pinned.WithRenamedDefinitions(_renames);
        _older = older.Select(set => set.WithRenamedDefinitions(_renames)).OrderBy(set => Version.Parse(set.Version)).ToList();
        _floor = _older[0];
        _defs = _pinned.Experimental;
        _command = regenerateCommand;
    }

    public IReadOnlyDictionary<string, string> Generate()
    {
        foreach (var name in _defs.Keys.Order(StringComparer.Ordinal))
        {
            if (!Envelopes.Contains(name))
            {
                Resolve(name);
            }
        }

        var catalog = EmitCatalog();
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Protocol/ProtocolTypes.g.cs"] = File("using System.Text.Json;\nusing System.Text.Json.Serialization;\n", string.Join("\n", _typeCode.Values)),
            ["Protocol/Names/ProtocolNames.g.cs"] = File(string.Empty, EmitNames(), NamesNamespace),
            ["Protocol/ProtocolConverters.g.cs"] = File("using System.Text.Json;\nusing System.Text.Json.Serialization;\nusing System.Text.Json.Serialization.Metadata;\n", string.Join("\n", _converterCode.Values)),
            ["Protocol/ProtocolCatalog.g.cs"] = File($"using {NamesNamespace};\n", catalog),
            ["Serialization/CodexJsonContext.g.cs"] = EmitContext(),
            ["Runtime/AppServer.g.cs"] = EmitAppServer(),
        };
    }

    private string Header =>
        "// <auto-generated>\n" +
        $"// Generated from the JSON schema of codex {_pinned.Version} (build/schema/{_pinned.Version}), with {string.Join(", ", _older.Select(o => o.Version).Reverse())} for what is optional and since when.\n" +
        $"// Do not edit: regenerate with\n//   {_command}\n" +
        "// </auto-generated>\n";

    private string File(string usings, string body, string ns = Namespace) =>
        Header + "#nullable enable\n#pragma warning disable CS1591, CA1707, CA1716, CA1720, CA1724\n" + usings + "\nnamespace " + ns + ";\n\n" + body.TrimEnd('\n') + "\n";

    // ---------------------------------------------------------------- type resolution

    /// <summary>Returns the C# type for a definition, generating it on first use.</summary>
    private string Resolve(string name)
    {
        if (_resolved.TryGetValue(name, out var known))
        {
            return known;
        }

        if (name == "RequestId")
        {
            return _resolved[name] = "global::CodexRuntime.Protocol.CodexRequestId";
        }

        var schema = _defs[name];
        // Reserve the name first: definitions can refer to themselves.
        _resolved[name] = name;
        var result = Classify(schema) switch
        {
            Shape.Record => EmitRecord(name, schema, null, null),
            Shape.TaggedUnion => EmitTaggedUnion(name, schema),
            Shape.ExternalUnion => EmitExternalUnion(name, schema),
            Shape.Enum => EmitEnum(name, EnumValues(schema, _older.Select(o => o.Experimental.GetValueOrDefault(name))), schema),
            Shape.Alias => AliasTarget(name, schema),
            _ => JsonElementType,
        };
        return _resolved[name] = result;
    }

    private enum Shape
    {
        Record,
        TaggedUnion,
        ExternalUnion,
        Enum,
        Alias,
        Raw,
    }

    private static Shape Classify(JsonObject schema)
    {
        var type = schema["type"];
        if (schema["oneOf"] is JsonArray oneOf)
        {
            if (oneOf.All(v => v is JsonObject o && IsStringConst(o)))
            {
                return Shape.Enum;
            }

            if (TagOf(oneOf) is not null)
            {
                return Shape.TaggedUnion;
            }

            if (schema["properties"] is null && oneOf.All(v => v is JsonObject o && (IsStringConst(o) || SingleKey(o) is not null)))
            {
                return Shape.ExternalUnion;
            }

            return Shape.Raw;
        }

        if (schema["anyOf"] is JsonArray anyOf)
        {
            var nonNull = anyOf.Where(v => !IsNull(v)).ToList();
            return nonNull.Count == 1 && nonNull[0] is JsonObject only && only["$ref"] is not null ? Shape.Alias : Shape.Raw;
        }

        if (type?.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            var t = (string)type!;
            if (t == "string")
            {
                return schema["enum"] is JsonArray { Count: > 0 } ? Shape.Enum : Shape.Alias;
            }

            if (t == "object")
            {
                return schema["properties"] is null && schema["additionalProperties"] is JsonNode ap && ap.GetValueKind() != System.Text.Json.JsonValueKind.False ? Shape.Alias : Shape.Record;
            }

            return Shape.Alias;
        }

        return Shape.Raw;
    }

    private string AliasTarget(string name, JsonObject schema)
    {
        if (schema["anyOf"] is JsonArray anyOf)
        {
            var target = anyOf.First(v => !IsNull(v))!.AsObject();
            return Resolve(Ref((string)target["$ref"]!));
        }

        return TypeOf(schema, name, "Value", out _);
    }

    /// <summary>The C# type of a property (or item) schema. <paramref name="nullable"/> says whether the schema admits null.</summary>
    private string TypeOf(JsonNode? schema, string owner, string property, out bool nullable)
    {
        nullable = false;
        if (schema is not JsonObject s || s.Count == 0 || (s.Count == 1 && s["description"] is not null))
        {
            return JsonElementType;
        }

        if (s["$ref"] is JsonNode reference)
        {
            return Resolve(Ref((string)reference!));
        }

        if (s["allOf"] is JsonArray { Count: 1 } allOf)
        {
            return TypeOf(allOf[0], owner, property, out nullable);
        }

        if ((s["anyOf"] ?? s["oneOf"]) is JsonArray alternatives)
        {
            var nonNull = alternatives.Where(v => !IsNull(v)).ToList();
            var hasNull = nonNull.Count != alternatives.Count;
            if (nonNull.Count == 1)
            {
                var inner = TypeOf(nonNull[0], owner, property, out var innerNullable);
                nullable = hasNull || innerNullable;
                return inner;
            }

            if (nonNull.Count > 1 && nonNull.All(v => v is JsonObject o && IsStringConst(o)))
            {
                nullable = hasNull;
                return EmitEnum(owner + Pascal(property), nonNull.SelectMany(v => v!["enum"]!.AsArray().Select(e => ((string)e!, (string?)v["description"]))).ToList(), s);
            }

            nullable = hasNull;
            return JsonElementType;
        }

        var typeNode = s["type"];
        string? type;
        if (typeNode is JsonArray types)
        {
            var names = types.Select(t => (string)t!).Where(t => t != "null").ToList();
            nullable = names.Count != types.Count;
            if (names.Count != 1)
            {
                return JsonElementType;
            }

            type = names[0];
        }
        else
        {
            type = (string?)typeNode;
        }

        switch (type)
        {
            case "string":
                if (s["enum"] is JsonArray { Count: > 1 } values)
                {
                    return EmitEnum(owner + Pascal(property), values.Select(v => ((string)v!, (string?)null)).ToList(), s);
                }

                return "string";
            case "integer":
                return (string?)s["format"] == "uint64" ? "ulong" : "long";
            case "number":
                return "double";
            case "boolean":
                return "bool";
            case "array":
                var item = TypeOf(s["items"], owner, property + "Item", out var itemNullable);
                return $"global::System.Collections.Generic.IReadOnlyList<{item}{(itemNullable ? "?" : string.Empty)}>";
            case "object":
                if (s["properties"] is JsonObject)
                {
                    var inlineName = owner + Pascal(property);
                    _resolved.TryAdd(inlineName, inlineName);
                    return EmitRecord(inlineName, s, null, null);
                }

                if (s["additionalProperties"] is JsonNode additional && additional.GetValueKind() != System.Text.Json.JsonValueKind.False)
                {
                    var value = TypeOf(additional, owner, property + "Value", out var valueNullable);
                    return $"global::System.Collections.Generic.IReadOnlyDictionary<string, {value}{(valueNullable ? "?" : string.Empty)}>";
                }

                return JsonElementType;
            default:
                return JsonElementType;
        }
    }

    // ---------------------------------------------------------------- records

    /// <summary>Emits a record; with <paramref name="unionBase"/> it is a case of a tagged union.</summary>
    private string EmitRecord(string name, JsonObject schema, string? unionBase, (string Property, string Value)? tag)
    {
        if (_typeCode.ContainsKey(name))
        {
            return name;
        }

        _typeCode[name] = string.Empty; // reserve against recursion
        _objectTypes.Add(name);
        var stableProps = StablePropertiesOf(name, unionBase);
        var olderDefs = _older.Select(o => o.Experimental.GetValueOrDefault(name)).ToList();
        var required = RequiredOf(schema);
        var code = new StringBuilder();
        Doc(code, "", (string?)schema["description"], name);
        if (IsExperimentalType(name, unionBase))
        {
            code.Append("/// <remarks>Experimental: needs the experimental API opt-in.</remarks>\n");
        }

        var baseList = unionBase is null ? "ICodexProtocolObject" : $"{unionBase}, ICodexProtocolObject";
        code.Append(CultureInfo.InvariantCulture, $"public sealed partial record {name} : {baseList}\n{{\n");
        var collect = new StringBuilder();
        var usedNames = new HashSet<string>(StringComparer.Ordinal) { name, "AdditionalProperties" };
        if (tag is { } t)
        {
            code.Append(CultureInfo.InvariantCulture, $"    /// <summary>The union tag: always <c>{Xml(t.Value)}</c>.</summary>\n    [JsonPropertyName(\"{t.Property}\")]\n    public string {Member(t.Property, usedNames)} => \"{t.Value}\";\n\n");
        }

        foreach (var (jsonName, propertySchema) in schema["properties"] as JsonObject ?? [])
        {
            if (tag is { } tg && jsonName == tg.Property)
            {
                continue;
            }

            var member = Member(jsonName, usedNames);
            var csType = TypeOf(propertySchema, name, member, out var schemaNullable);
            var experimental = stableProps is not null && !stableProps.Contains(jsonName);
            // Required (non-null, must be present) only when every checked-in release of the supported range requires it.
            var isRequired = required.Contains(jsonName) && !schemaNullable && !experimental && olderDefs.All(def => RequiredIn(def, jsonName));
            Doc(code, "    ", Desc(propertySchema), $"The <c>{Xml(jsonName)}</c> field.");
            if (experimental)
            {
                code.Append("    /// <remarks>Experimental: setting it needs the experimental API opt-in.</remarks>\n");
                collect.Append(CultureInfo.InvariantCulture, $"        if ({member} is not null) found.Add(path + \"{jsonName}\");\n");
            }

            code.Append(CultureInfo.InvariantCulture, $"    [JsonPropertyName(\"{jsonName}\")]\n");
            code.Append(isRequired
                ? $"    public required {csType} {member} {{ get; init; }}\n\n"
                : $"    public {csType}? {member} {{ get; init; }}\n\n");
            if (_objectTypes.Contains(csType) || IsUnionType(csType))
            {
                collect.Append(CultureInfo.InvariantCulture, $"        ({member} as ICodexProtocolObject)?.CollectExperimentalFields(found, path + \"{jsonName}.\");\n");
            }
        }

        code.Append("    /// <summary>Members this library version does not know, kept so that nothing is lost on a round trip.</summary>\n");
        code.Append("    [JsonExtensionData]\n    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }\n\n");
        code.Append("    /// <inheritdoc />\n    void ICodexProtocolObject.CollectExperimentalFields(ICollection<string> found, string path)\n    {\n");
        code.Append(collect);
        code.Append("    }\n}\n");
        _typeCode[name] = code.ToString();
        _serializable.Add(name);
        return name;
    }

    private bool IsUnionType(string csType) => _unions.Contains(csType);

    private HashSet<string>? StablePropertiesOf(string name, string? unionBase)
    {
        // Fields present only in the --experimental schema are experimental. Union cases are looked up by title.
        JsonObject? stable = _pinned.Stable.GetValueOrDefault(name);
        if (stable is null && unionBase is not null && _pinned.Stable.GetValueOrDefault(unionBase)?["oneOf"] is JsonArray variants)
        {
            stable = variants.OfType<JsonObject>().FirstOrDefault(v => (string?)v["title"] == name);
        }

        return stable?["properties"] is JsonObject props ? props.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) : null;
    }

    private bool IsExperimentalType(string name, string? unionBase) =>
        _defs.ContainsKey(name) ? !_pinned.Stable.ContainsKey(name) : unionBase is not null && !_pinned.Stable.ContainsKey(unionBase);

    private static bool RequiredIn(JsonObject? olderDef, string jsonName)
    {
        if (olderDef is null)
        {
            return true; // The type is newer than that release: nothing older to be tolerant of.
        }

        return olderDef["properties"] is not JsonObject props || (props.ContainsKey(jsonName) && RequiredOf(olderDef).Contains(jsonName));
    }

    private static HashSet<string> RequiredOf(JsonObject schema) =>
        (schema["required"] as JsonArray ?? []).Select(r => (string)r!).ToHashSet(StringComparer.Ordinal);

    // ---------------------------------------------------------------- unions

    private static string? TagOf(JsonArray variants)
    {
        foreach (var candidate in new[] { "type", "mode", "kind", "method" })
        {
            if (variants.All(v => v is JsonObject o && o["properties"]?[candidate] is JsonObject p && SingleValue(p) is not null))
            {
                return candidate;
            }
        }

        return null;
    }

    private string EmitTaggedUnion(string name, JsonObject schema)
    {
        var variants = schema["oneOf"]!.AsArray().OfType<JsonObject>().ToList();
        var tag = TagOf(schema["oneOf"]!.AsArray())!;
        var unknown = "Unrecognized" + name;
        _typeCode[name] = string.Empty;
        _unions.Add(name);
        var code = new StringBuilder();
        Doc(code, "", (string?)schema["description"], name);
        code.Append(CultureInfo.InvariantCulture, $"/// <remarks>A union tagged by <c>{tag}</c>; a tag this library version does not know reads as <see cref=\"{unknown}\"/>.</remarks>\n");
        code.Append(CultureInfo.InvariantCulture, $"[JsonConverter(typeof({name}JsonConverter))]\npublic abstract partial record {name}\n{{\n");
        var usedNames = new HashSet<string>(StringComparer.Ordinal) { name };
        foreach (var (jsonName, propertySchema) in schema["properties"] as JsonObject ?? [])
        {
            var member = Member(jsonName, usedNames);
            var csType = TypeOf(propertySchema, name, member, out _);
            Doc(code, "    ", Desc(propertySchema), $"The <c>{Xml(jsonName)}</c> field.");
            code.Append(CultureInfo.InvariantCulture, $"    [JsonPropertyName(\"{jsonName}\")]\n    public {csType}? {member} {{ get; init; }}\n\n");
        }

        code.Append("}\n\n");
        Doc(code, "", null, $"A <see cref=\"{name}\"/> whose <c>{tag}</c> this library version does not know; <see cref=\"Raw\"/> keeps it whole.");
        code.Append(CultureInfo.InvariantCulture, $"public sealed partial record {unknown} : {name}\n{{\n    /// <summary>The JSON as received.</summary>\n    public required JsonElement Raw {{ get; init; }}\n}}\n");
        _typeCode[name] = code.ToString();
        _serializable.Add(name);
        _roots.Add(name);

        var cases = new List<(string Tag, string Type)>();
        foreach (var variant in variants)
        {
            var tagValue = SingleValue(variant["properties"]![tag]!.AsObject())!;
            var caseName = Str(variant["title"]) is { } title ? Pascal(title) : Pascal(tagValue) + name;
            // Titles can collapse to the same identifier ("openai/form" vs "openaiForm") or name another definition.
            while (_typeCode.ContainsKey(caseName) || _defs.ContainsKey(caseName))
            {
                caseName += "Case";
            }

            _resolved.TryAdd(caseName, caseName);
            EmitRecord(caseName, variant, name, (tag, tagValue));
            _roots.Add(caseName);
            cases.Add((tagValue, caseName));
        }

        var converter = new StringBuilder();
        converter.Append(CultureInfo.InvariantCulture, $"/// <summary>Reads and writes <see cref=\"{name}\"/> by its <c>{tag}</c> tag; unknown tags read as <see cref=\"{unknown}\"/>.</summary>\n");
        converter.Append(CultureInfo.InvariantCulture, $"internal sealed class {name}JsonConverter : JsonConverter<{name}>\n{{\n");
        converter.Append(CultureInfo.InvariantCulture, $"    public override {name}? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)\n    {{\n");
        converter.Append("        if (reader.TokenType == JsonTokenType.Null)\n        {\n            return null;\n        }\n\n");
        // Peek the tag with a copy of the reader, then deserialize the case once from the original reader.
        converter.Append(CultureInfo.InvariantCulture, $"        switch (CodexUnionTag.Peek(reader, \"{tag}\"u8))\n        {{\n");
        foreach (var (tagValue, caseType) in cases)
        {
            converter.Append(CultureInfo.InvariantCulture, $"            case \"{tagValue}\":\n                return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<{caseType}>)options.GetTypeInfo(typeof({caseType})));\n");
        }

        converter.Append("        }\n\n");
        converter.Append(CultureInfo.InvariantCulture, $"        return new {unknown} {{ Raw = JsonElement.ParseValue(ref reader) }};\n    }}\n\n");
        converter.Append(CultureInfo.InvariantCulture, $"    public override void Write(Utf8JsonWriter writer, {name} value, JsonSerializerOptions options)\n    {{\n        switch (value)\n        {{\n");
        foreach (var (_, caseType) in cases)
        {
            converter.Append(CultureInfo.InvariantCulture, $"            case {caseType} v:\n                JsonSerializer.Serialize(writer, v, (JsonTypeInfo<{caseType}>)options.GetTypeInfo(typeof({caseType})));\n                return;\n");
        }

        converter.Append(CultureInfo.InvariantCulture, $"            case {unknown} u:\n                u.Raw.WriteTo(writer);\n                return;\n            default:\n                throw new JsonException($\"{{value.GetType().Name}} is not a known case of {name}.\");\n        }}\n    }}\n}}\n");
        _converterCode[name + "JsonConverter"] = converter.ToString();
        return name;
    }

    private string EmitExternalUnion(string name, JsonObject schema)
    {
        var variants = schema["oneOf"]!.AsArray().OfType<JsonObject>().ToList();
        // String cases an older supported release still sends (approval policy "on-failure" in 0.104.0) stay readable.
        var known = variants.Where(IsStringConst).SelectMany(v => v["enum"]!.AsArray().Select(e => (string)e!)).ToHashSet(StringComparer.Ordinal);
        foreach (var older in _older.AsEnumerable().Reverse())
        {
            if (older.Experimental.GetValueOrDefault(name) is not { } olderDef)
            {
                continue;
            }

            var olderValues = olderDef["oneOf"] is JsonArray olderVariants
                ? olderVariants.OfType<JsonObject>().Where(IsStringConst).SelectMany(v => v["enum"]!.AsArray().Select(e => (string)e!))
                : IsStringConst(olderDef) ? olderDef["enum"]!.AsArray().Select(e => (string)e!) : [];
            foreach (var value in olderValues.Where(known.Add))
            {
                variants.Add(new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(value), ["description"] = $"Sent by codex {older.Version}; newer versions dropped it." });
            }
        }

        _typeCode[name] = string.Empty;
        _unions.Add(name);
        var stringCases = new List<(string Value, string Case)>();
        var objectCases = new List<(string Key, string Case, string Payload)>();
        var code = new StringBuilder();
        Doc(code, "", (string?)schema["description"], name);
        code.Append("/// <remarks>Each case is a plain string or an object with a single member naming the case; anything else reads as <see cref=\"Unrecognized\"/>.</remarks>\n");
        code.Append(CultureInfo.InvariantCulture, $"[JsonConverter(typeof({name}JsonConverter))]\npublic abstract partial record {name}\n{{\n    private protected {name}()\n    {{\n    }}\n");
        var used = new HashSet<string>(StringComparer.Ordinal) { name, "Unrecognized" };
        foreach (var variant in variants)
        {
            if (IsStringConst(variant))
            {
                foreach (var value in variant["enum"]!.AsArray().Select(v => (string)v!))
                {
                    var caseName = Unique(Pascal(value), used);
                    code.Append('\n');
                    Doc(code, "    ", (string?)variant["description"], $"<c>\"{Xml(value)}\"</c>.");
                    code.Append(CultureInfo.InvariantCulture, $"    public sealed partial record {caseName} : {name};\n");
                    stringCases.Add((value, caseName));
                }
            }
            else
            {
                var key = SingleKey(variant)!;
                var caseName = Unique(Pascal(key), used);
                var payload = TypeOf(variant["properties"]![key], name, caseName + "Payload", out _);
                code.Append('\n');
                Doc(code, "    ", (string?)variant["description"], $"<c>{{\"{Xml(key)}\": ...}}</c>.");
                code.Append(CultureInfo.InvariantCulture, $"    /// <param name=\"Value\">The payload under <c>{Xml(key)}</c>.</param>\n    public sealed partial record {caseName}({payload} Value) : {name};\n");
                objectCases.Add((key, caseName, payload));
                AddRoot(payload);
            }
        }

        code.Append("\n    /// <summary>A case this library version does not know; <see cref=\"Raw\"/> keeps it whole.</summary>\n");
        code.Append("    /// <param name=\"Raw\">The JSON as received.</param>\n");
        code.Append(CultureInfo.InvariantCulture, $"    public sealed partial record Unrecognized(JsonElement Raw) : {name};\n}}\n");
        _typeCode[name] = code.ToString();
        _serializable.Add(name);
        _roots.Add(name);

        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"/// <summary>Reads and writes <see cref=\"{name}\"/>: string cases as strings, object cases as single-member objects.</summary>\n");
        c.Append(CultureInfo.InvariantCulture, $"internal sealed class {name}JsonConverter : JsonConverter<{name}>\n{{\n");
        c.Append(CultureInfo.InvariantCulture, $"    public override {name}? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)\n    {{\n");
        c.Append("        if (reader.TokenType == JsonTokenType.Null)\n        {\n            return null;\n        }\n\n");
        c.Append("        var element = JsonElement.ParseValue(ref reader);\n");
        c.Append("        if (element.ValueKind == JsonValueKind.String)\n        {\n            switch (element.GetString())\n            {\n");
        foreach (var (value, caseName) in stringCases)
        {
            c.Append(CultureInfo.InvariantCulture, $"                case \"{value}\":\n                    return new {name}.{caseName}();\n");
        }

        c.Append("            }\n        }\n");
        if (objectCases.Count > 0)
        {
            c.Append("        else if (element.ValueKind == JsonValueKind.Object)\n        {\n            using var members = element.EnumerateObject();\n");
            c.Append("            if (members.MoveNext())\n            {\n                var member = members.Current;\n                if (!members.MoveNext())\n                {\n                    switch (member.Name)\n                    {\n");
            foreach (var (key, caseName, payload) in objectCases)
            {
                c.Append(CultureInfo.InvariantCulture, $"                        case \"{key}\":\n                            return new {name}.{caseName}(member.Value.Deserialize(({TypeInfoCast(payload)})options.GetTypeInfo(typeof({payload})))!);\n");
            }

            c.Append("                    }\n                }\n            }\n        }\n");
        }

        c.Append(CultureInfo.InvariantCulture, $"\n        return new {name}.Unrecognized(element);\n    }}\n\n");
        c.Append(CultureInfo.InvariantCulture, $"    public override void Write(Utf8JsonWriter writer, {name} value, JsonSerializerOptions options)\n    {{\n        switch (value)\n        {{\n");
        foreach (var (value, caseName) in stringCases)
        {
            c.Append(CultureInfo.InvariantCulture, $"            case {name}.{caseName}:\n                writer.WriteStringValue(\"{value}\");\n                return;\n");
        }

        foreach (var (key, caseName, payload) in objectCases)
        {
            c.Append(CultureInfo.InvariantCulture, $"            case {name}.{caseName} v:\n                writer.WriteStartObject();\n                writer.WritePropertyName(\"{key}\");\n                JsonSerializer.Serialize(writer, v.Value, ({TypeInfoCast(payload)})options.GetTypeInfo(typeof({payload})));\n                writer.WriteEndObject();\n                return;\n");
        }

        c.Append(CultureInfo.InvariantCulture, $"            case {name}.Unrecognized u:\n                u.Raw.WriteTo(writer);\n                return;\n            default:\n                throw new JsonException($\"{{value.GetType().Name}} is not a known case of {name}.\");\n        }}\n    }}\n}}\n");
        _converterCode[name + "JsonConverter"] = c.ToString();
        return name;
    }

    private static string TypeInfoCast(string type) => $"JsonTypeInfo<{type}>";


    // ---------------------------------------------------------------- enums

    private static List<(string Value, string? Description)> EnumValues(JsonObject schema, IEnumerable<JsonObject?> older)
    {
        var values = new List<(string, string?)>();
        void Add(JsonObject s)
        {
            if (s["oneOf"] is JsonArray oneOf)
            {
                foreach (var v in oneOf.OfType<JsonObject>())
                {
                    foreach (var e in v["enum"]!.AsArray())
                    {
                        values.Add(((string)e!, (string?)v["description"]));
                    }
                }
            }
            else if (s["enum"] is JsonArray e)
            {
                values.AddRange(e.Select(x => ((string)x!, (string?)null)));
            }
        }

        Add(schema);
        // Values an older supported release still sends (e.g. approval policy "on-failure") stay readable.
        foreach (var olderDef in older.Reverse())
        {
            if (olderDef is not null && Classify(olderDef) == Shape.Enum)
            {
                Add(olderDef);
            }
        }

        return values.DistinctBy(v => v.Item1).ToList();
    }

    private string EmitEnum(string name, List<(string Value, string? Description)> values, JsonObject schema)
    {
        if (_typeCode.ContainsKey(name))
        {
            return name;
        }

        var code = new StringBuilder();
        Doc(code, "", (string?)schema["description"], name);
        code.Append(CultureInfo.InvariantCulture, $"[JsonConverter(typeof({name}JsonConverter))]\npublic enum {name}\n{{\n");
        code.Append("    /// <summary>A value this library version does not know (it cannot be written back).</summary>\n    Unrecognized = 0,\n");
        var used = new HashSet<string>(StringComparer.Ordinal) { "Unrecognized" };
        var members = new List<(string Value, string Member)>();
        foreach (var (value, description) in values)
        {
            var member = Unique(Pascal(value), used);
            members.Add((value, member));
            code.Append('\n');
            Doc(code, "    ", description, $"<c>\"{Xml(value)}\"</c>.");
            code.Append(CultureInfo.InvariantCulture, $"    {member},\n");
        }

        code.Append("}\n");
        _typeCode[name] = code.ToString();
        _serializable.Add(name);

        var c = new StringBuilder();
        c.Append(CultureInfo.InvariantCulture, $"/// <summary>Reads <see cref=\"{name}\"/> from its wire strings; an unknown string reads as <see cref=\"{name}.Unrecognized\"/> instead of failing.</summary>\n");
        c.Append(CultureInfo.InvariantCulture, $"internal sealed class {name}JsonConverter : JsonConverter<{name}>\n{{\n");
        c.Append(CultureInfo.InvariantCulture, $"    public override {name} Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>\n        reader.TokenType != JsonTokenType.String ? {name}.Unrecognized : reader.GetString() switch\n        {{\n");
        foreach (var (value, member) in members)
        {
            c.Append(CultureInfo.InvariantCulture, $"            \"{value}\" => {name}.{member},\n");
        }

        c.Append(CultureInfo.InvariantCulture, $"            _ => {name}.Unrecognized,\n        }};\n\n");
        c.Append(CultureInfo.InvariantCulture, $"    public override void Write(Utf8JsonWriter writer, {name} value, JsonSerializerOptions options) =>\n        writer.WriteStringValue(value switch\n        {{\n");
        foreach (var (value, member) in members)
        {
            c.Append(CultureInfo.InvariantCulture, $"            {name}.{member} => \"{value}\",\n");
        }

        c.Append(CultureInfo.InvariantCulture, $"            _ => throw new JsonException($\"{name}.{{value}} has no wire value: an Unrecognized value read from a newer codex cannot be written back.\"),\n        }});\n}}\n");
        _converterCode[name + "JsonConverter"] = c.ToString();
        return name;
    }

    // ---------------------------------------------------------------- catalog

    private const string ClientRequestUnion = "ClientRequest";
    private const string NotificationUnion = "ServerNotification";
    private const string ServerRequestUnion = "ServerRequest";

    /// <summary>The generated type name a <c>$ref</c> points to.</summary>
    private string Ref(string reference)
    {
        var name = SchemaSet.RefName(reference);
        return _renames.GetValueOrDefault(name, name);
    }

    /// <summary>The oldest checked-in release whose schema has <paramref name="method"/> in <paramref name="union"/> (else the pinned one).</summary>
    private string Since(string union, string method) =>
        _older.FirstOrDefault(set => SchemaSet.Methods(set.Experimental, union).Any(m => m.Method == method))?.Version ?? _pinned.Version;

    private string EmitCatalog()
    {
        var code = new StringBuilder();
        var stableRequests = SchemaSet.Methods(_pinned.Stable, "ClientRequest").Select(m => m.Method).ToHashSet(StringComparer.Ordinal);

        code.Append("/// <summary>The codex versions this protocol was generated from.</summary>\npublic static partial class CodexProtocolVersions\n{\n");
        code.Append(CultureInfo.InvariantCulture, $"    /// <summary>The codex version the types and catalog are generated from: {_pinned.Version}.</summary>\n    public static global::CodexRuntime.Protocol.CodexVersion Pinned {{ get; }} = global::CodexRuntime.Protocol.CodexVersion.Parse(\"{_pinned.Version}\");\n\n");
        code.Append(CultureInfo.InvariantCulture, $"    /// <summary>The oldest supported codex, whose schema decides what is optional: {_floor.Version}.</summary>\n    public static global::CodexRuntime.Protocol.CodexVersion Floor {{ get; }} = global::CodexRuntime.Protocol.CodexVersion.Parse(\"{_floor.Version}\");\n}}\n\n");
        code.Append("/// <summary>Every client request of the pinned codex: method name, params and result types, stability, and since which codex release it exists.</summary>\npublic static partial class CodexMethods\n{\n");
        var all = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (method, variant) in SchemaSet.Methods(_defs, "ClientRequest").OrderBy(m => m.Method, StringComparer.Ordinal))
        {
            var (paramsType, resultType) = RequestTypes(variant, method);
            AddRoot(paramsType);
            AddRoot(resultType);
            var member = Unique(MethodMember(method), names);
            var stability = stableRequests.Contains(method) ? "Stable" : "Experimental";
            var paramsDef = (string?)variant["properties"]!["params"]!["$ref"] is string r ? Ref(r) : null;
            var experimentalFields = paramsDef is null ? [] : ExperimentalFieldsOf(paramsDef);
            code.Append(CultureInfo.InvariantCulture, $"    /// <summary><c>{method}</c>{(stability == "Experimental" ? " (experimental: needs the experimental API opt-in)" : string.Empty)}.</summary>\n");
            code.Append(CultureInfo.InvariantCulture, $"    public static CodexMethod<{paramsType}, {resultType}> {member} {{ get; }} = new({Name("CodexMethods", member, method)}, CodexStability.{stability}, since: \"{Since(ClientRequestUnion, method)}\", experimentalFields: [{string.Join(", ", experimentalFields.Select(f => $"\"{f}\""))}]);\n\n");
            all.Add(member);
            if (stability == "Stable" && method != "initialize")
            {
                // initialize belongs to the connection's handshake; an application never sends it again.
                _stableRequests.Add((method, member, paramsType, resultType, (string?)variant["description"]));
            }
        }

        AppendAll(code, "method", "CodexMethod", all);

        code.Append('\n');
        code.Append("/// <summary>Every notification the pinned codex sends, with its payload type and since which codex release it is sent.</summary>\npublic static partial class CodexNotifications\n{\n");
        all.Clear();
        names.Clear();
        foreach (var (method, variant) in SchemaSet.Methods(_defs, "ServerNotification").OrderBy(m => m.Method, StringComparer.Ordinal))
        {
            var payload = TypeOf(variant["properties"]!["params"], "Notification", MethodMember(method), out _);
            AddRoot(payload);
            var member = Unique(MethodMember(method), names);
            code.Append(CultureInfo.InvariantCulture, $"    /// <summary><c>{method}</c>.</summary>\n    public static CodexNotificationType<{payload}> {member} {{ get; }} = new({Name("CodexNotifications", member, method)}, since: \"{Since(NotificationUnion, method)}\");\n\n");
            all.Add(member);
        }

        AppendAll(code, "notification", "CodexNotificationType", all);

        code.Append('\n');
        code.Append("/// <summary>Every request the pinned codex sends to the client (all must be answered), with params and response types.</summary>\npublic static partial class CodexServerRequests\n{\n");
        all.Clear();
        names.Clear();
        foreach (var (method, variant) in SchemaSet.Methods(_defs, "ServerRequest").OrderBy(m => m.Method, StringComparer.Ordinal))
        {
            var (paramsType, resultType) = RequestTypes(variant, method);
            AddRoot(paramsType);
            AddRoot(resultType);
            var member = Unique(MethodMember(method), names);
            var stability = SchemaSet.Methods(_pinned.Stable, "ServerRequest").Any(m => m.Method == method) ? "Stable" : "Experimental";
            code.Append(CultureInfo.InvariantCulture, $"    /// <summary><c>{method}</c>.</summary>\n    public static CodexServerRequestType<{paramsType}, {resultType}> {member} {{ get; }} = new({Name("CodexServerRequests", member, method)}, CodexStability.{stability}, since: \"{Since(ServerRequestUnion, method)}\");\n\n");
            all.Add(member);
        }

        AppendAll(code, "server request", "CodexServerRequestType", all);

        // The client's notifications (only initialized) get names but no public catalog: the handshake sends them.
        names.Clear();
        foreach (var (method, _) in SchemaSet.Methods(_defs, "ClientNotification").OrderBy(m => m.Method, StringComparer.Ordinal))
        {
            Name(ClientNotifications, Unique(MethodMember(method), names), method);
        }

        return code.ToString();
    }

    /// <summary>Records <paramref name="method"/> as a constant of <paramref name="catalog"/>'s names class and returns the reference to it.</summary>
    private string Name(string catalog, string member, string method)
    {
        if (!_names.TryGetValue(catalog, out var list))
        {
            _names[catalog] = list = [];
        }

        list.Add((member, method));
        return $"{NamesClass(catalog)}.{member}";
    }

    /// <summary>The key of the client's notifications in <see cref="_names"/>; they have no catalog class.</summary>
    private const string ClientNotifications = "";

    /// <summary><c>CodexNotifications</c> -> <c>CodexNotificationNames</c>, and so on.</summary>
    private static string NamesClass(string catalog) => catalog switch
    {
        ClientNotifications => "CodexClientNotificationNames",
        "CodexMethods" => "CodexMethodNames",
        "CodexNotifications" => "CodexNotificationNames",
        _ => "CodexServerRequestNames",
    };

    /// <summary>
    /// The one table of codex's method names: internal const strings (a switch needs constants; the catalog's public
    /// entries carry the same strings in <c>Method</c>, so the public surface does not grow by ~290 constants).
    /// </summary>
    private string EmitNames()
    {
        var code = new StringBuilder();
        foreach (var (catalog, members) in _names)
        {
            var summary = catalog == ClientNotifications
                ? "The notifications the client sends (the handshake's), as constants."
                : $"The method names of <see cref=\"{catalog}\"/> as constants, for <c>switch</c> and <c>is</c> patterns.";
            code.Append(CultureInfo.InvariantCulture, $"/// <summary>{summary}</summary>\ninternal static class {NamesClass(catalog)}\n{{\n");
            foreach (var (member, method) in members)
            {
                code.Append(CultureInfo.InvariantCulture, $"    /// <summary><c>{method}</c>.</summary>\n    public const string {member} = \"{method}\";\n\n");
            }

            code.Length--;
            code.Append("}\n\n");
        }

        return code.ToString();
    }

    /// <summary>Closes a catalog class with its <c>All</c> list.</summary>
    private static void AppendAll(StringBuilder code, string noun, string entryType, List<string> members)
    {
        code.Append(CultureInfo.InvariantCulture, $"    /// <summary>Every {noun} above, in method-name order.</summary>\n    public static IReadOnlyList<{entryType}> All {{ get; }} =\n    [\n");
        foreach (var member in members)
        {
            code.Append(CultureInfo.InvariantCulture, $"        {member},\n");
        }

        code.Append("    ];\n}\n");
    }

    private void AddRoot(string type)
    {
        if (_serializable.Contains(type))
        {
            _roots.Add(type);
        }
    }

    private (string Params, string Result) RequestTypes(JsonObject variant, string method)
    {
        var paramsSchema = variant["properties"]!["params"];
        string paramsType;
        string? stem = null;
        if (paramsSchema?["$ref"] is JsonNode r)
        {
            var paramsName = Ref((string)r!);
            paramsType = Resolve(paramsName);
            stem = paramsName.EndsWith("Params", StringComparison.Ordinal) ? paramsName[..^"Params".Length] : null;
            if (paramsName.StartsWith("Nullable", StringComparison.Ordinal) && stem is not null)
            {
                stem = stem["Nullable".Length..];
            }
        }
        else
        {
            paramsType = "CodexNoParams";
        }

        string[] candidates = [stem is null ? string.Empty : stem + "Response", MethodMember(method) + "Response"];
        foreach (var candidate in candidates)
        {
            if (candidate.Length > 0 && _defs.ContainsKey(candidate))
            {
                return (paramsType, Resolve(candidate));
            }
        }

        return (paramsType, JsonElementType);
    }

    private IReadOnlyList<string> ExperimentalFieldsOf(string definition)
    {
        // A params type missing from the stable schema belongs to an experimental method: the method, not its fields, is flagged.
        if (_pinned.Stable.GetValueOrDefault(definition)?["properties"] is not JsonObject stable
            || _defs.GetValueOrDefault(definition)?["properties"] is not JsonObject all)
        {
            return [];
        }

        return all.Select(p => p.Key).Where(k => !stable.ContainsKey(k)).ToList();
    }

    // ---------------------------------------------------------------- AppServer helpers

    /// <summary>One typed helper on <c>AppServer</c> per stable client request (layer 5), each a call through the catalog.</summary>
    private string EmitAppServer()
    {
        var code = new StringBuilder(Header);
        code.Append("#nullable enable\n\nusing CodexRuntime.Protocol;\n\nnamespace CodexRuntime;\n\n");
        code.Append("/// <summary>Typed helpers for every stable client request of codex " + _pinned.Version + ".</summary>\npublic sealed partial class AppServer\n{\n");
        foreach (var (method, member, paramsType, resultType, description) in _stableRequests)
        {
            var result = resultType == JsonElementType ? resultType : "global::CodexRuntime.Protocol." + resultType;
            // Some schema descriptions are section markers ("NEW APIs"), not descriptions of the method.
            var summary = description is null || description.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 4
                ? $"Calls <c>{method}</c> (<see cref=\"CodexMethods.{member}\"/>)."
                : $"Calls <c>{method}</c> (<see cref=\"CodexMethods.{member}\"/>): {Xml(description.Split('\n')[0].Trim())}";
            code.Append(CultureInfo.InvariantCulture, $"    /// <summary>{summary}</summary>\n");
            if (paramsType != "CodexNoParams")
            {
                code.Append("    /// <param name=\"parameters\">The params.</param>\n");
            }

            code.Append("    /// <param name=\"timeout\">Deadline; the connection's request timeout when null.</param>\n");
            code.Append("    /// <param name=\"cancellationToken\">Abandons the call.</param>\n");
            code.Append("    /// <returns>The result.</returns>\n");
            if (paramsType == "CodexNoParams")
            {
                code.Append(CultureInfo.InvariantCulture, $"    public Task<{result}> {member}Async(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>\n");
                code.Append(CultureInfo.InvariantCulture, $"        Runtime.CallAsync(CodexMethods.{member}, CodexNoParams.Value, timeout, cancellationToken);\n\n");
            }
            else
            {
                code.Append(CultureInfo.InvariantCulture, $"    public Task<{result}> {member}Async(global::CodexRuntime.Protocol.{paramsType} parameters, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>\n");
                code.Append(CultureInfo.InvariantCulture, $"        Runtime.CallAsync(CodexMethods.{member}, parameters, timeout, cancellationToken);\n\n");
            }
        }

        code.Length -= 1;
        code.Append("}\n");
        return code.ToString();
    }

    // ---------------------------------------------------------------- serializer context

    private string EmitContext()
    {
        var code = new StringBuilder(Header);
        code.Append("#nullable enable\nusing System.Text.Json.Serialization;\n\nnamespace CodexRuntime.Serialization;\n\n");
        // All attributes live on this one declaration: attributes on two partial declarations of a context make the
        // System.Text.Json source generator emit some files twice (duplicate hint names) once the context is large.
        code.Append("[JsonSourceGenerationOptions(\n    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,\n    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]\n");
        foreach (var builtIn in new[] { "System.Text.Json.JsonElement", "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject", Namespace + ".CodexNoParams" })
        {
            code.Append(CultureInfo.InvariantCulture, $"[JsonSerializable(typeof(global::{builtIn}))]\n");
        }

        foreach (var type in _roots)
        {
            code.Append(CultureInfo.InvariantCulture, $"[JsonSerializable(typeof(global::{Namespace}.{type}))]\n");
        }

        code.Append("public sealed partial class CodexJsonContext;\n");
        return code.ToString();
    }

    // ---------------------------------------------------------------- helpers

    private static string? Desc(JsonNode? node) => node is JsonObject o ? Str(o["description"]) : null;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static bool IsNull(JsonNode? node) => node is JsonObject o && Str(o["type"]) == "null";

    private static bool IsStringConst(JsonObject o) => Str(o["type"]) == "string" && o["enum"] is JsonArray { Count: >= 1 } && o["properties"] is null;

    private static string? SingleValue(JsonObject property) =>
        property["enum"] is JsonArray { Count: 1 } e ? (string?)e[0] : property["const"] is JsonNode c ? (string?)c : null;

    private static string? SingleKey(JsonObject variant) =>
        Str(variant["type"]) == "object" && variant["properties"] is JsonObject { Count: 1 } props && RequiredOf(variant).Contains(props.First().Key)
            ? props.First().Key
            : null;

    private static string MethodMember(string method) => string.Concat(method.Split('/', '.', '_', '-').Select(Pascal));

    private static string Member(string jsonName, HashSet<string> used) => Unique(Pascal(jsonName), used);

    private static string Unique(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>camelCase, snake_case, kebab-case, dotted or slashed -> PascalCase; a leading digit gets a prefix.</summary>
    internal static string Pascal(string text)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var ch in text)
        {
            if (!char.IsLetterOrDigit(ch))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, 'V');
        }

        return builder.ToString();
    }

    private static void Doc(StringBuilder code, string indent, string? description, string? fallback)
    {
        var text = string.IsNullOrWhiteSpace(description) ? fallback ?? string.Empty : Xml(description.Trim());
        if (text.Length == 0)
        {
            return;
        }

        code.Append(indent).Append("/// <summary>\n");
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            code.Append(indent).Append("/// ").Append(line.TrimEnd()).Append('\n');
        }

        code.Append(indent).Append("/// </summary>\n");
    }

    private static string Xml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
