using System.Text;
using PolicyDsl.Cli;

// The process entry point only sets up the console; everything else is in Policyc.Run, which
// tests call in-process with their own writers.
Console.OutputEncoding = Encoding.UTF8;
return Policyc.Run(args, Console.Out, Console.Error);
