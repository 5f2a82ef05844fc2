using System.Diagnostics;
using CodexRuntime.IntegrationTests.Support;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// A new user's first program, built the way they build it: a console project with the SDK's default
/// ImplicitUsings, the three usings the docs name, and <c>Thread.Sleep(0)</c>. It must compile (it did not while the
/// generated protocol had a type named <c>Thread</c>: CS0104).
/// </summary>
public sealed class ImplicitUsingsCompileTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private readonly DirectoryInfo _project = Directory.CreateTempSubdirectory("codex-first-program-");

    public void Dispose() => _project.Delete(recursive: true);

    [Fact]
    public async Task A_console_program_with_default_implicit_usings_and_the_documented_usings_builds()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "CodexRuntime.dll");
        File.WriteAllText(Path.Combine(_project.FullName, "FirstProgram.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="CodexRuntime"><HintPath>{library}</HintPath></Reference>
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project.FullName, "Program.cs"), """
            using CodexRuntime;
            using CodexRuntime.Protocol;

            Thread.Sleep(0);
            var profile = new RunProfile { Sandbox = SandboxMode.ReadOnly };
            Console.WriteLine($"{profile.Sandbox} {TurnStatus.Completed} {typeof(CodexClient).Name} {typeof(CodexThread).Name}");
            """);

        var build = new ProcessStartInfo("dotnet") { ArgumentList = { "build", _project.FullName, "-nologo", "-v", "quiet", "-p:UseSharedCompilation=false" } };
        var result = await ChildProcessRun.RunAsync(build, Deadline);

        Assert.True(result.ExitCode == 0, $"The first program does not build (timed out: {result.TimedOut}):\n{result.Output}{result.Errors}");
    }
}
