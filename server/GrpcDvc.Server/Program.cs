using GrpcDvc.Server.Hosting;

var app = ServerHost.Build(args);
await ServerHost.PrepareDatabaseAsync(app);
await app.RunAsync();

/// <summary>Entry point; public so integration tests can reference the assembly.</summary>
public partial class Program;
