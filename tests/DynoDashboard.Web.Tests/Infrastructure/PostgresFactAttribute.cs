using DynoDashboard.TestServers;

namespace DynoDashboard.Web.Tests.Infrastructure;

/// <summary>A test that needs a PostgreSQL server: skips with the install command when none is installed, except under
/// <c>CI=true</c>, where it runs and fails (.ci/run installs PostgreSQL, so a missing one must not pass silently).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
