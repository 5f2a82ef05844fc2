// CodexRuntime benchmarks (BenchmarkDotNet). Not part of the test run. Run all of them with:
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- --filter '*'
//
// Add "--job short" for a quicker, less precise run. Figures are ratios against a baseline measured in the same run.
//
// The pipe throughput program (not BenchmarkDotNet: one measurement floods a million messages):
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- flood [deltas=1000000] [rounds=5] [connection]
//   (through CodexRuntimeHost; with "connection", through the bare CodexConnection)
//
// Round-trip latency of sequential requests over an in-memory duplex (median and p99):
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- latency [requests=10000]
//
// The approval path of one streaming turn (scripted app-server): bytes allocated and round trip per approval:
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- approvals [approvals=20000]
//
// One web session's events fanned out over SSE (Kestrel on loopback) to many clients in another process (this program
// in its web-fanout-clients mode), against one client:
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- web-fanout [deltas=20000] [clients=1000] [queued]
//
// One artifact manager opening and closing many artifacts (scripted app-server, real file store): managed heap and map
// sizes at checkpoints, against the same run never closing:
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- artifact-churn [artifacts=10000]
//
// Web sessions as Orleans grains (in-process silos over scripted app-servers): 300 sessions' turns on 3 silos against
// 1 silo (turns/s, p50/p99 turn latency), and one SSE subscriber across silos against a local one (events/s):
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- orleans [short] [sessions=300] [turns=5]
//     [concurrency=100] [deltas=10] [tenants=10] [rounds=3] [sse-deltas=20000]
using BenchmarkDotNet.Running;
using CodexRuntime.Benchmarks;

if (args.Length > 0 && args[0] == "flood")
{
    return await FloodBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "latency")
{
    return await LatencyBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "approvals")
{
    return await ApprovalBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "web-fanout")
{
    return await WebFanoutBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "artifact-churn")
{
    return await ArtifactChurnBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "orleans")
{
    return await OrleansBenchmark.RunAsync(args.Skip(1).ToArray());
}

if (args.Length > 0 && args[0] == "web-fanout-clients")
{
    return await WebFanoutClients.RunAsync(args.Skip(1).ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
