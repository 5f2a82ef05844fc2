// AddCodexRuntime in a Generic Host: the codex process starts with the host (WithHostedService) and stops with it.
// A worker gets CodexClient from DI, asks one question in a session, prints the answer and stops the host.
// Settings also come from the "CodexRuntime" configuration section (appsettings.json, CodexRuntime__RequestTimeout=...).
// By default codex talks to CodexRuntime.Testing's FakeModelServer (offline); --real uses your own codex login.
//
// Usage: dotnet run --project samples/GenericHost [-- --real]
using CodexRuntime;
using CodexRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

var real = args.Contains("--real");
await using var model = real ? null : FakeModelServer.Start().Enqueue(
    FakeModelResponse.Text("A Generic Host starts your services with DI, configuration and logging, and stops them together."));
using var home = model is null ? null : TemporaryCodexHome.Create(model);   // CODEX_HOME points at the fake model; HOME is empty
var workspace = real ? Environment.CurrentDirectory : Directory.CreateTempSubdirectory("codex-host-").FullName;

var builder = Host.CreateApplicationBuilder();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
builder.Services.AddCodexRuntime(o =>
    {
        o.Runtime.Process.ExecutablePath ??= CodexBinaryLocator.Locate().ExecutablePath;   // CODEX_CLI_PATH, else PATH / the npm install
        o.DefaultProfile.Timeout = TimeSpan.FromSeconds(60);
        home?.ApplyTo(o);
    })
    .WithHostedService();   // connect at host start, stop at host stop
builder.Services.AddHostedService(services => new AskOnce(
    services.GetRequiredService<CodexClient>(),
    services.GetRequiredService<IHostApplicationLifetime>(),
    workspace,
    model is null ? "the real model, with your codex login (~/.codex or CODEX_HOME)" : $"FakeModelServer at {model.BaseUrl} (offline: nothing leaves this machine)"));

using var host = builder.Build();
try
{
    await host.StartAsync();   // validates the options, then starts codex
    var processId = host.Services.GetRequiredService<CodexClient>().ProcessId!.Value;
    await host.WaitForShutdownAsync();   // AskOnce stops the host when it is done
    Console.WriteLine($"stopped: codex pid {processId} running after host stop: {ProcessProbe.IsRunning(processId)}");
    return Environment.ExitCode;
}
catch (Exception ex) when (ex is OptionsValidationException or CodexException or InvalidOperationException)
{
    Console.Error.WriteLine($"GenericHost failed: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    if (!real)
    {
        Directory.Delete(workspace, recursive: true);
    }
}

/// <summary>Asks codex one question in a session, prints the answer, then stops the host.</summary>
internal sealed class AskOnce(CodexClient codex, IHostApplicationLifetime lifetime, string workspace, string model) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        const string question = "In one sentence: what is a .NET Generic Host?";
        try
        {
            // WithHostedService registered first, so codex is already connected here.
            Console.WriteLine($"codex:    {codex.Config.Runtime.Process.ExecutablePath} (version {codex.Runtime.ServerInfo.Version}, pid {codex.ProcessId})");
            Console.WriteLine($"model:    {model}");
            Console.WriteLine($"you:      {question}");
            await using var session = await codex.StartSessionAsync(new SessionConfig(workspace), stoppingToken);
            var answer = await session.AskAsync(question, stoppingToken);
            Console.WriteLine($"answer:   {answer.Text}");
        }
        catch (CodexException ex)
        {
            Console.Error.WriteLine($"GenericHost failed: {ex.GetType().Name}: {ex.Message}");
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
