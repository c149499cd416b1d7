namespace GrpcDvc.Server.Audit;

/// <summary>What auditors query through: the data-access log (the registry's) and the sign-in audit (identity's), within their scope.</summary>
public static class AuditRegistration
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddScoped<SignInLog>();
        services.AddScoped<AuditScope>();
        return services;
    }
}
