using System.Text;
using PolicyDsl.Cli;

// The process entry point only sets up the console; everything else is in Policyc.Run, which
// tests call in-process with their own writers.
Console.OutputEncoding = Encoding.UTF8;
StartupJit.Start(args);
AllocationSampler.Start();
// A document printed to an interactive terminal is escaped like every message; redirected, it is written as produced.
return Policyc.Run(args, new TerminalText(Console.Out) { Interactive = !Console.IsOutputRedirected }, Console.Error);
