using System.Reflection;
using System.Reflection.Emit;

namespace CodexRuntime.Packaging.Tests;

/// <summary>
/// Which namespaces of one compiled assembly use which others, read from the assembly itself: type shapes (base types,
/// interfaces, fields, properties, events, signatures, attributes, generic arguments) and every type, method and field
/// token in method bodies, so a dependency that only code inside a method has still counts. Compiler-generated types
/// (closures, state machines) count for the namespace of the type that declares them.
/// </summary>
public sealed class NamespaceGraph
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private readonly Assembly _assembly;
    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];

    private NamespaceGraph(Assembly assembly) => _assembly = assembly;

    /// <summary>Each edge "from uses to" with the type pairs that make it ("FromType -> ToType").</summary>
    public IReadOnlyDictionary<(string From, string To), SortedSet<string>> Edges => _edges;

    /// <summary>Reads the graph of <paramref name="assembly"/>.</summary>
    public static NamespaceGraph Read(Assembly assembly)
    {
        var graph = new NamespaceGraph(assembly);
        foreach (var type in assembly.GetTypes())
        {
            graph.AddType(type);
        }

        return graph;
    }

    /// <summary>The namespaces that depend on each other in a loop: strongly connected components with more than one member.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var nodes = _edges.Keys.SelectMany(edge => new[] { edge.From, edge.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var next = nodes.ToDictionary(node => node, node => _edges.Keys.Where(edge => edge.From == node).Select(edge => edge.To).ToList());

        // Tarjan's algorithm, recursive: a namespace graph has tens of nodes.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<IReadOnlyList<string>>();
        foreach (var node in nodes)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in next[node])
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }
            }

            if (low[node] != index[node])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);
            if (component.Count > 1)
            {
                component.Sort(StringComparer.Ordinal);
                components.Add(component);
            }
        }
    }

    /// <summary>A readable account of one loop: every edge inside it, with a few of the type pairs that make it.</summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var members = cycle.ToHashSet(StringComparer.Ordinal);
        var lines = _edges
            .Where(edge => members.Contains(edge.Key.From) && members.Contains(edge.Key.To))
            .OrderBy(edge => edge.Key.From, StringComparer.Ordinal).ThenBy(edge => edge.Key.To, StringComparer.Ordinal)
            .Select(edge => $"  {edge.Key.From} -> {edge.Key.To} ({edge.Value.Count}): {string.Join(", ", edge.Value.Take(3))}{(edge.Value.Count > 3 ? ", ..." : "")}");
        return $"{string.Join(" <-> ", cycle)}\n{string.Join('\n', lines)}";
    }

    private void AddType(Type type)
    {
        var from = OwnerOf(type);
        Use(from, type.BaseType);
        foreach (var implemented in type.GetInterfaces())
        {
            Use(from, implemented);
        }

        UseAttributes(from, type.CustomAttributes);
        foreach (var argument in type.IsGenericTypeDefinition ? type.GetGenericArguments() : [])
        {
            foreach (var constraint in argument.GetGenericParameterConstraints())
            {
                Use(from, constraint);
            }
        }

        foreach (var field in type.GetFields(Declared))
        {
            Use(from, field.FieldType);
            UseAttributes(from, field.CustomAttributes);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Use(from, property.PropertyType);
            UseAttributes(from, property.CustomAttributes);
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            Use(from, @event.EventHandlerType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddMethod(from, method);
        }
    }

    private void AddMethod(Type from, MethodBase method)
    {
        UseAttributes(from, method.CustomAttributes);
        if (method is MethodInfo info)
        {
            Use(from, info.ReturnType);
        }

        foreach (var parameter in method.GetParameters())
        {
            Use(from, parameter.ParameterType);
        }

        var body = method.GetMethodBody();
        if (body is null)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            Use(from, local.LocalType);
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var position = 0; position < il.Length;)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var code = OpCodesByValue[value];
            var operandSize = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                UseMember(from, method.Module, BitConverter.ToInt32(il, position), typeArguments, methodArguments);
            }

            position += operandSize;
        }
    }

    private void UseMember(Type from, Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            // A token this generic context cannot resolve (e.g. a member of an open generic): its signature types
            // are still counted through the declaring type's shape.
            return;
        }

        switch (member)
        {
            case Type type:
                Use(from, type);
                break;
            case MethodBase called:
                Use(from, called.DeclaringType);
                foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                {
                    Use(from, argument);
                }

                break;
            case FieldInfo field:
                Use(from, field.DeclaringType);
                break;
        }
    }

    private void UseAttributes(Type from, IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            Use(from, attribute.AttributeType);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(named => named.TypedValue)))
            {
                if (argument.Value is Type type)
                {
                    Use(from, type);
                }
            }
        }
    }

    private void Use(Type from, Type? to)
    {
        if (to is null)
        {
            return;
        }

        if (to.HasElementType)
        {
            Use(from, to.GetElementType());
            return;
        }

        if (to.IsGenericType && !to.IsGenericTypeDefinition)
        {
            Use(from, to.GetGenericTypeDefinition());
            foreach (var argument in to.GetGenericArguments())
            {
                Use(from, argument);
            }

            return;
        }

        if (to.IsGenericParameter || to.Assembly != _assembly)
        {
            return;
        }

        var target = OwnerOf(to);
        var fromNamespace = target.Namespace ?? "";
        var source = from.Namespace ?? "";
        // Namespaces the compiler or a source generator adds (regex, configuration binding, logging) sit outside
        // the package's own layering: only the package's namespaces are nodes.
        if (fromNamespace == source || !IsOwn(source) || !IsOwn(fromNamespace))
        {
            return;
        }

        if (!_edges.TryGetValue((source, fromNamespace), out var pairs))
        {
            _edges[(source, fromNamespace)] = pairs = new SortedSet<string>(StringComparer.Ordinal);
        }

        pairs.Add($"{from.Name} -> {target.Name}");
    }

    private static bool IsOwn(string name) => name == "CodexRuntime" || name.StartsWith("CodexRuntime.", StringComparison.Ordinal);

    /// <summary>The top-level type a (possibly nested, possibly compiler-generated) type belongs to.</summary>
    private static Type OwnerOf(Type type)
    {
        while (type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type;
    }
}
