using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Tests;

/// <summary>The package's public enums serialize as names in any caller's JSON (a minimal API answered <c>"state":0</c> before).</summary>
public sealed class StringEnumTests
{
    [Fact]
    public void Every_public_enum_serializes_as_its_name() => PublicEnums.AssertEachSerializesAsItsName(typeof(CodexRuntime.CodexApprovalPolicy).Assembly);
}
