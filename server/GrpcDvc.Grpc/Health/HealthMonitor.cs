using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace GrpcDvc.Grpc.Health;

/// <summary>
/// The serving status of the server ("") and of each bound service, for grpc.health.v1.
/// Real state comes from the ASP.NET Core health checks (the database, …), evaluated at most
/// once per <see cref="HealthOptions.PollInterval"/> however many callers ask; operators and
/// code can override a service's status (e.g. NOT_SERVING while draining).
/// </summary>
public sealed class HealthMonitor(HealthCheckService checks, GrpcServiceRegistry registry, IOptions<HealthOptions> options, TimeProvider time)
    : IDisposable
{
    private readonly Dictionary<string, ServingStatus> _overrides = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly Lock _lock = new();
    private ServingStatus _checked = ServingStatus.Unknown;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of any status (override or check result).</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public TimeSpan PollInterval => options.Value.PollInterval;

    /// <summary>Forces <paramref name="service"/> ("" for the whole server) to a status until cleared.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        lock (_lock)
        {
            _overrides[service] = status;
        }

        SignalChange();
    }

    public void ClearStatus(string service)
    {
        lock (_lock)
        {
            _overrides.Remove(service);
        }

        SignalChange();
    }

    /// <summary>The status of <paramref name="service"/>: SERVICE_UNKNOWN for a name this server does not serve.</summary>
    public async Task<ServingStatus> GetStatusAsync(string service, CancellationToken cancellationToken)
    {
        if (service.Length > 0 && !registry.Services.Any(s => s.FullName == service))
        {
            return ServingStatus.ServiceUnknown;
        }

        var server = await CheckedStatusAsync(cancellationToken);
        lock (_lock)
        {
            if (_overrides.TryGetValue(service, out var forced))
            {
                return forced;
            }

            // A service cannot serve while the server as a whole does not.
            return _overrides.TryGetValue(string.Empty, out var serverForced) && serverForced != ServingStatus.Serving
                ? serverForced
                : server;
        }
    }

    public async Task<IReadOnlyDictionary<string, ServingStatus>> GetAllAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, ServingStatus>(StringComparer.Ordinal)
        {
            [string.Empty] = await GetStatusAsync(string.Empty, cancellationToken),
        };
        foreach (var service in registry.Services)
        {
            all[service.FullName] = await GetStatusAsync(service.FullName, cancellationToken);
        }

        return all;
    }

    public void Dispose() => _refreshLock.Dispose();

    private async Task<ServingStatus> CheckedStatusAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _checkedAt < PollInterval)
        {
            return _checked;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _checkedAt >= PollInterval)
            {
                var report = await checks.CheckHealthAsync(cancellationToken);
                var status = report.Status == HealthStatus.Unhealthy ? ServingStatus.NotServing : ServingStatus.Serving;
                _checkedAt = time.GetUtcNow();
                if (status != _checked)
                {
                    _checked = status;
                    SignalChange();
                }
            }

            return _checked;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private void SignalChange()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}

/// <summary>Options of the health service; section "Dvc:Grpc:Health".</summary>
public sealed class HealthOptions
{
    /// <summary>How long a health-check result is reused, and how often Watch re-checks. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
