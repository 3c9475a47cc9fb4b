# syntax=docker/dockerfile:1
# Multi-stage: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/DynoDashboard.Core/DynoDashboard.Core.csproj src/DynoDashboard.Core/
COPY src/DynoDashboard.Web/DynoDashboard.Web.csproj src/DynoDashboard.Web/
RUN dotnet restore src/DynoDashboard.Web/DynoDashboard.Web.csproj
COPY src/ src/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/DynoDashboard.Web/DynoDashboard.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The database, the generated ingest key and sign-in token, and the cookie key ring (/data/keys) live in
# /data; nothing else is written.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__Path=/data/dynodash.db
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
EXPOSE 8080
USER $APP_UID
# (No --start-period: dockerfilelint 1.8 rejects it; 3 retries at 30 s cover the start-up.)
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["dotnet", "DynoDashboard.Web.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "DynoDashboard.Web.dll"]
