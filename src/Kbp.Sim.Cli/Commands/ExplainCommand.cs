using System.CommandLine;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Cli.Commands;

/// <summary><c>kbp-sim explain FILE</c>: why the slowest frames were slow, stage by stage, from what the model recorded.</summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenario = new ScenarioOptions();
        Option<long> worst = Options.Integer("--worst", "Explain the N slowest measured frames of the run [5].", 5, 1, 1000);
        Option<long> packet = Options.Integer("--packet", "Explain this frame id instead (of repetition --repetition).", -1, 0);
        Option<long> repetition = Options.Integer("--repetition", "The repetition of --packet [0].", 0, 0);
        var around = new Option<string?>("--around") { Description = "Also print what ran on the CPUs of the worst frame's waits from T before it left to T after it came back (a softIRQ timeline), e.g. 1ms." };
        var json = new Option<string?>("--json") { Description = "Write the explanation as JSON to this file." };
        var command = new Command("explain", "Explain why the slowest frames were slow: their journey stage by stage, each wait's kernel mechanism and the contexts that held the CPU, and the tail delay by cause.");
        scenario.AddTo(command);
        command.Options.Add(worst);
        command.Options.Add(packet);
        command.Options.Add(repetition);
        command.Options.Add(around);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            bool byId = result.GetResult(packet) is { Implicit: false };
            if (byId && result.GetResult(worst) is { Implicit: false })
            {
                error.WriteLine("kbp-sim: give either --worst N or --packet ID, not both");
                return ExitCodes.BadInput;
            }

            if (!ScenarioOptions.TryDuration(result, around, error, out long? aroundNs))
            {
                return ExitCodes.BadInput;
            }

            string? jsonPath = result.GetValue(json);
            if (OutputPaths.Problem(jsonPath) is string pathProblem)
            {
                error.WriteLine($"kbp-sim: {pathProblem}");
                return ExitCodes.BadInput;
            }

            ScenarioSpec? spec = scenario.Load(result, error);
            if (spec is null)
            {
                return ExitCodes.BadInput;
            }

            int reps = spec.Traffic.Repetitions;
            int rep = (int)result.GetValue(repetition);
            if (byId && rep >= reps)
            {
                error.WriteLine($"kbp-sim: --repetition {rep}: the run has {reps} repetition(s), numbered from 0");
                return ExitCodes.BadInput;
            }

            VmSpec vm = VmScenario.ToVmSpec(spec);
            ulong seed = spec.Traffic.Seed;
            IReadOnlyList<FrameRef> frames;
            if (byId)
            {
                long id = result.GetValue(packet);
                FrameRef? frame = Explainer.FindFrame(vm, seed, rep, id);
                if (frame is null)
                {
                    error.WriteLine($"kbp-sim: --packet {id}: frame {id} of repetition {rep} was not measured (sent in the warm-up, lost, or never sent)");
                    return ExitCodes.BadInput;
                }

                frames = [frame.Value];
            }
            else
            {
                frames = Explainer.FindSlowest(vm, reps, seed, (int)result.GetValue(worst));
                if (frames.Count == 0)
                {
                    error.WriteLine("kbp-sim: no measured frame came back: nothing to explain");
                    return ExitCodes.BadInput;
                }
            }

            Explanation explanation = Explainer.Explain(vm, seed, frames, aroundNs ?? 0);
            ExplainText.Write(output, spec.Name, seed, explanation, aroundNs);
            if (jsonPath is not null)
            {
                try
                {
                    AtomicFile.Write(jsonPath, w => ExplainJson.Write(w, spec.Name, seed, explanation));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"kbp-sim: cannot write the output: {e.Message}");
                    return ExitCodes.BadInput;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
