using DynoDashboard.TestServers;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DynoDashboard.Core.Tests.History.Postgres;

/// <summary>
/// A fact of a history store test. The shared contract's facts are declared once in the abstract suite and run for
/// each store's class, so whether one needs PostgreSQL is known only from the class: on a class marked
/// <see cref="UsesPostgresAttribute"/> it skips with the install command when the server is missing, except under
/// <c>CI=true</c>, where it runs and fails (.ci/run installs PostgreSQL, so a missing one must not pass silently).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("DynoDashboard.Core.Tests.History.Postgres.StoreFactDiscoverer", "DynoDashboard.Core.Tests")]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose store is PostgreSQL (see <see cref="StoreFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UsesPostgresAttribute : Attribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        if (testMethod.TestClass.Class.GetCustomAttributes(typeof(UsesPostgresAttribute)).Any() &&
            PostgresCluster.SkipReason is { } reason)
        {
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        }

        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>Test classes in this collection share one cluster; each test makes its own database in it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterGroup : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL cluster";
}
