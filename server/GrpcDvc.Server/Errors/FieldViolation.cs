namespace GrpcDvc.Server.Errors;

/// <summary>One rule an input field broke: the field's path in the request, what is wrong, and a stable reason code.</summary>
/// <remarks>Domain rules return these; <see cref="RpcErrors.InvalidArgument"/> turns them into google.rpc.BadRequest.</remarks>
public sealed record FieldViolation(string Field, string Description, string Reason = "INVALID");
