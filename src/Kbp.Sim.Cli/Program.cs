using Kbp.Sim.Cli;

return KbpSimCommand.Run(args, Console.Out, Console.Error);
