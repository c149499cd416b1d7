namespace GrpcDvc.Server.Access;

public enum AccountKind
{
    /// <summary>A citizen using a portal.</summary>
    Citizen = 1,

    /// <summary>A police official using the admin console.</summary>
    Official = 2,
}
