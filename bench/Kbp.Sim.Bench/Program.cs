using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Kbp.Sim.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Kbp.Sim.Bench.HoldBenchmark).Assembly).Run(args);
