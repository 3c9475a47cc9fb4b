using System.Reflection;
using System.Text;
using DynoDashboard.Core.History;
using DynoDashboard.Core.Model;
using DynoDashboard.Core.Parsing;
using DynoDashboard.Core.Tests.Live;

namespace DynoDashboard.Core.Tests.Parsing;

/// <summary>
/// A router error made from its line's bytes keeps the message as UTF-8: it reads, compares and is stored exactly as
/// the same event made from a string; and the hand-written equality still covers every property.
/// </summary>
public sealed class DynoEventTests
{
    [Theory]
    [InlineData("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow\" dyno=web.1 status=503")]
    [InlineData("at=error code=H12 desc=\"Zeitüberschreitung ✓ 🚀\" path=\"/ß\"")]
    public void FromRouterError_LineBytes_SameEventAsFromTheDecodedString(string message)
    {
        var utf8 = Encoding.UTF8.GetBytes(message);

        var fromBytes = RouterError(utf8, static (in RouterRequest r) => DynoEvent.FromRouterError(r));
        var fromString = RouterError(utf8, static (in RouterRequest r) => DynoEvent.FromRouterError(r, RouterRequest.Text(r.Message)));

        Assert.NotNull(fromBytes.Utf8Message);
        Assert.Equal(fromString, fromBytes);
        Assert.Equal(fromBytes, fromString);
        Assert.Equal(fromString.GetHashCode(), fromBytes.GetHashCode());
        Assert.Equal(message, fromBytes.Message);
        Assert.Equal(fromString.ToString(), fromBytes.ToString());
        Assert.Equal(LiteDbHistoryStore.EncodeEvents([fromString]), LiteDbHistoryStore.EncodeEvents([fromBytes]));
        Assert.Equal([fromString], LiteDbHistoryStore.DecodeEvents(LiteDbHistoryStore.EncodeEvents([fromBytes])));
    }

    [Fact]
    public void FromRouterError_InvalidUtf8_DecodedAtOnceAsBefore()
    {
        byte[] utf8 = [.. "at=error code=H12 path=\"/"u8, 0xC3, 0x28, .. "\""u8];

        var routerError = RouterError(utf8, static (in RouterRequest r) => DynoEvent.FromRouterError(r));

        Assert.Null(routerError.Utf8Message);
        Assert.Equal(RouterRequest.Text(utf8), routerError.Message);
    }

    [Fact]
    public void Equals_EveryPropertyTakesPart()
    {
        var baseline = RouterError("at=error code=H12"u8.ToArray(), static (in RouterRequest r) => DynoEvent.FromRouterError(r)) with
        {
            Incarnation = "heroku.1.a", FromState = "up", ToState = "crashed", ExitStatus = 1, MemoryMb = 1, MemoryPercent = 1,
        };
        var properties = typeof(DynoEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .ToList();
        Assert.Equal(17, properties.Count);

        foreach (var property in properties)
        {
            var changed = baseline with { };
            property.SetValue(changed, Other(property.GetValue(baseline), property.PropertyType));

            Assert.False(baseline.Equals(changed), property.Name);
            Assert.Equal(changed, LiteDbHistoryStore.DecodeEvents(LiteDbHistoryStore.EncodeEvents([changed]))[0]);
            Assert.True(baseline.Equals(baseline with { }), property.Name);
        }
    }

    private static object? Other(object? value, Type type) => value switch
    {
        DateTimeOffset time => time.AddTicks(1),
        DynoName => new DynoName("other.9"),
        DynoEventKind kind => kind == DynoEventKind.Exited ? DynoEventKind.Release : DynoEventKind.Exited,
        ErrorCodeInfo => ErrorCatalog.H13,
        string text => text + "-other",
        int number => number + 1,
        double number => number + 0.5,
        null when type == typeof(string) => "other",
        _ => throw new InvalidOperationException($"No other value for {type}."),
    };

    private delegate DynoEvent Make(in RouterRequest request);

    private static DynoEvent RouterError(byte[] message, Make make) => make(new RouterRequest
    {
        Time = TestLines.T0,
        Level = RouterLevel.Error,
        Code = ErrorCatalog.H12,
        Dyno = new DynoName("web.1"),
        Status = 503,
        ServiceMs = 30_000,
        Path = "/slow"u8,
        Message = message,
    });
}
