using DynoDashboard.Web.Alerts;
using DynoDashboard.Web.Analysis;
using DynoDashboard.Web.Api;
using DynoDashboard.Web.Components;
using DynoDashboard.Web.Configuration;
using DynoDashboard.Web.Export;
using DynoDashboard.Web.Heroku;
using DynoDashboard.Web.History;
using DynoDashboard.Web.Ingestion;
using DynoDashboard.Web.Security;
using DynoDashboard.Web.Storage;

if (args.Contains(HealthProbe.Flag))
{
    return await HealthProbe.RunAsync();
}

if (args.Contains(PasswordHashCommand.Flag))
{
    return PasswordHashCommand.Run(Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(IngestionRegistration.TranslateDemoFlag(args));
// `dotnet run` outside Development serves the linked top-level wwwroot and MudBlazor's assets from the build
// manifest; a published app has no manifest and this is a no-op.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddDynoLiveStore(builder.Configuration);
builder.Services.AddDynoStorage();
builder.Services.AddDynoHistory(); // before ingestion: it must stop after it, to flush what ingestion handed over
builder.Services.AddDynoIngestion(builder.Configuration);
builder.Services.AddDynoApi();
builder.Services.AddDynoOpenApi();
builder.Services.AddDynoAppAdmin();
builder.Services.AddDynoInsights();
builder.Services.AddDynoRestart(builder.Configuration);
builder.Services.AddDynoAlerts(builder.Configuration);
builder.Services.AddDynoPrometheus();
builder.Services.AddDynoTelemetry(builder.Configuration);
builder.Services.AddDynoUi();
builder.Services.AddDynoSecurity(builder.Configuration);

var app = builder.Build();
try
{
    // Before anything opens a file in the data folder: a second instance on it stops here, at once.
    app.Services.GetRequiredService<DataFolderLock>();
}
catch (DataFolderLockedException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return DataFolderLockedException.ExitCode;
}

app.Services.ValidateDynoSettings();

app.UseDynoSecurity();
app.UseDynoErrorHandling();
app.UseDynoSignIn();

app.MapStaticAssets();
app.MapDrain();
app.MapInsightsApi();
app.MapDrainHealthApi();
app.MapRestartApi();
app.MapAlertsApi();
app.MapDynoMetrics();
app.MapLogsApi();
app.MapDynoApi();
app.MapDynoOpenApi();
app.MapAppAdminApi();
app.MapDynoLiveHub();
app.MapDynoSignIn();
app.MapHealthChecks("/healthz").AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;
