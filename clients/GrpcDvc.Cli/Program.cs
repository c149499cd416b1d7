using GrpcDvc.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the call in flight; the tool then exits with its own code.
    e.Cancel = true;
    stop.Cancel();
};
return await DvcCli.RunAsync(args, CliEnvironment.FromProcess(), stop.Token);
