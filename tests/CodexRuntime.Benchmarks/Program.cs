// CodexRuntime benchmarks (BenchmarkDotNet). Not part of the test run. Run all of them with:
//
//   dotnet run -c Release --project tests/CodexRuntime.Benchmarks -- --filter '*'
//
// Add "--job short" for a quicker, less precise run. Figures are ratios against a baseline measured in the same run.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
