using System.Runtime.ExceptionServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The gate every call passes, run first among the interceptors. In order:
/// <list type="number">
/// <item>an rpc without a policy is refused (PERMISSION_DENIED, NO_POLICY) unless its service is
/// allow-listed infrastructure (<see cref="AccessOptions"/>);</item>
/// <item>a bearer token, when sent, must be valid — on a public rpc too: a client sending a
/// broken or expired token has lost its session and is better told so than silently served as
/// anonymous (UNAUTHENTICATED, ACCESS_TOKEN_INVALID / ACCESS_TOKEN_EXPIRED / SESSION_ENDED). The token
/// is validated by ASP.NET Core authentication (JwtBearer with <see cref="AccessTokenHandler"/>), once
/// per call; the gate reads its result;</item>
/// <item>a non-public rpc needs a caller (UNAUTHENTICATED, ACCESS_TOKEN_MISSING) holding one of the
/// policy's roles (PERMISSION_DENIED, ROLE_NOT_ALLOWED);</item>
/// <item>agency_scoped: an official must be bound to a unit (the subject's unit is the service's
/// check, through <see cref="IAgencyScope"/>);</item>
/// <item>lookups count against the per-address and per-account limits (RESOURCE_EXHAUSTED + RetryInfo);</item>
/// <item>purpose_required: the request's AccessContext must state a purpose (INVALID_ARGUMENT).</item>
/// </list>
/// Who the subject is (citizen_self, the subject's units) is only known to the service: it
/// checks that with <see cref="SubjectAccess"/>.
/// </summary>
public sealed class AuthorizationInterceptor(MethodRules rules, ILookupLimiter limiter) : Interceptor
{
    private const string BearerPrefix = "Bearer ";

    // The call's outcome is handed on, not awaited and rethrown (Errors.UnaryOutcomes).
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        => UnaryOutcomes.After(AuthorizeAsync(context, request as IMessage), request, context, continuation);

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request as IMessage);
        await continuation(request, responseStream, context);
    }

    // Client- and duplex-streaming calls: the requests are not read yet, so no purpose can be checked.
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request: null);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request: null);
        await continuation(requestStream, responseStream, context);
    }

    private async Task AuthorizeAsync(ServerCallContext context, IMessage? request)
    {
        var rule = rules.For(context);
        if (rule.IsInfrastructure)
        {
            return;
        }

        var policy = rule.Policy
            ?? throw AccessErrors.PermissionDenied(AccessReasons.NoPolicy, $"{rule.FullName} declares no access policy, so it may not be called.");
        var caller = await AuthenticateAsync(context);
        if (policy.Public)
        {
            return;
        }

        if (caller is null)
        {
            throw AccessErrors.Unauthenticated(AccessReasons.AccessTokenMissing, "Sign in first: this call needs an access token (authorization: Bearer …).");
        }

        if (!caller.HasAnyRole(rule.AllowedRoles))
        {
            throw AccessErrors.PermissionDenied(AccessReasons.RoleNotAllowed, $"Your roles do not allow {rule.FullName}.");
        }

        if (policy.AgencyScoped && caller.Kind == AccountKind.Official && string.IsNullOrEmpty(caller.AgencyUnit))
        {
            throw AccessErrors.PermissionDenied(AccessReasons.AgencyUnitMissing, "Your account is bound to no agency unit.");
        }

        if (rule.IsLookupLimited)
        {
            if (limiter.TryAcquire(ClientOf(context), $"{caller.Kind}:{caller.AccountId:N}") is { } retryAfter)
            {
                throw AccessErrors.RateLimited(AccessReasons.LookupRateLimited, retryAfter);
            }
        }

        if (policy.PurposeRequired)
        {
            RequirePurpose(rule, request);
        }
    }

    private static async Task<CallerIdentity?> AuthenticateAsync(ServerCallContext context)
    {
        // Authenticated by an interceptor registered before this one (the tests' stand-ins; an
        // mTLS authenticator one day): only code can put it there, and the policy still applies.
        if (context.TryGetCaller() is { } preset)
        {
            return preset;
        }

        var http = context.GetHttpContext();
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.AsSpan(BearerPrefix.Length).Trim().IsEmpty)
        {
            throw AccessErrors.Unauthenticated(AccessReasons.AuthorizationMalformed, "The authorization header must be \"Bearer <access token>\".");
        }

        // JwtBearer validated the token already (UseAuthentication); the handler keeps its result for the request.
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (CallerPrincipal.Read(result.Principal) is { } caller)
        {
            context.SetCaller(caller);
            return caller;
        }

        // A token that could not be checked because the database is out of reach (the signing-key ring or
        // the revoked sessions were due a reread) is no invalid token: the outage answers (UNAVAILABLE,
        // from the outermost interceptor), or clients would throw away good sessions and ask to sign in.
        if (DatabaseOutage.CauseOf(result.Failure) is not null)
        {
            ExceptionDispatchInfo.Throw(result.Failure!);
        }

        // The reason of a refusal tells a portal "refresh your session" from "sign in again".
        throw result.Failure is AccessTokenRejectedException rejected
            ? AccessErrors.Unauthenticated(rejected.Reason, rejected.Message)
            : AccessErrors.Unauthenticated(AccessReasons.AccessTokenInvalid, "The access token is not valid.");
    }

    private static void RequirePurpose(MethodRule rule, IMessage? request)
    {
        if (rule.AccessContextField is not { } field || request is null)
        {
            // The contract promises a purpose check the gate cannot make: a proto mistake, not the caller's.
            throw new RpcException(new Status(StatusCode.Internal, $"{rule.FullName} requires a purpose but its request has no AccessContext."));
        }

        if (field.Accessor.GetValue(request) is not AccessContext { Purpose: not AccessPurpose.Unspecified })
        {
            throw AccessErrors.PurposeMissing($"{field.Name}.purpose");
        }
    }

    // The peer's address, or the client's that a trusted proxy named (the forwarded-headers middleware rewrites it);
    // IPv4 clients of a dual-stack listener are counted under their IPv4 address, as the sign-in audit records them.
    private static ClientContext ClientOf(ServerCallContext context)
        => new(context.GetHttpContext().Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null);
}
