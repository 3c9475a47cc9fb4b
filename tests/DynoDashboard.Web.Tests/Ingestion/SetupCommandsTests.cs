using DynoDashboard.Web.Ingestion;

namespace DynoDashboard.Web.Tests.Ingestion;

public sealed class SetupCommandsTests
{
    [Fact]
    public void For_PublicUrlWithPathBase_BuildsTheThreeExactCommands()
    {
        var commands = SetupCommands.For("my-app", "k3y-0123456789abcdef", new Uri("https://dyno.example.com/dash/"));

        Assert.Equal("heroku labs:enable log-runtime-metrics -a my-app", commands.EnableRuntimeMetrics);
        Assert.Equal("heroku ps:restart -a my-app", commands.Restart);
        Assert.Equal("heroku drains:add \"https://user:k3y-0123456789abcdef@dyno.example.com/dash/drain/my-app\" -a my-app", commands.AddDrain);
    }

    [Fact]
    public void For_KeyWithUrlCharacters_EscapesItSoTheUrlStaysOne()
    {
        var commands = SetupCommands.For("shop", "a@b/c?d#e0123456789", new Uri("http://127.0.0.1:5000/"));

        Assert.Contains("http://user:a%40b%2Fc%3Fd%23e0123456789@127.0.0.1:5000/drain/shop", commands.AddDrain, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("My-App")]
    [InlineData("app; rm -rf /")]
    public void For_InvalidAppName_Throws(string app) =>
        Assert.Throws<ArgumentException>(() => SetupCommands.For(app, "0123456789abcdef", new Uri("https://x.example/")));
}
