using GrpcDvc.Server.Hosting;

if (PopulationCommand.Matches(args))
{
    return await PopulationCommand.RunAsync(args);
}

var app = ServerHost.Build(args);
await ServerHost.PrepareDatabaseAsync(app);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can reference the assembly.</summary>
public partial class Program;
