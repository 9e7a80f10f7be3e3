# syntax=docker/dockerfile:1
# The receiver image. Build from the repository root:
#   docker build -f deploy/docker/receiver.Dockerfile -t webhooks-receiver .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Webhooks.Contracts/Webhooks.Contracts.csproj Webhooks.Contracts/
COPY Webhooks.Infrastructure/Webhooks.Infrastructure.csproj Webhooks.Infrastructure/
COPY Webhooks.Receiver/Webhooks.Receiver.csproj Webhooks.Receiver/
RUN dotnet restore Webhooks.Receiver/Webhooks.Receiver.csproj
COPY Webhooks.Contracts/ Webhooks.Contracts/
COPY Webhooks.Infrastructure/ Webhooks.Infrastructure/
COPY Webhooks.Receiver/ Webhooks.Receiver/
RUN dotnet publish Webhooks.Receiver/Webhooks.Receiver.csproj -c Release -o /app --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the health check below; nothing else is added to the runtime image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Workstation GC: a small, steady heap suits a service that keeps nothing in memory.
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=0
EXPOSE 8080
# The image's unprivileged user (UID 1654): the service needs no root and no writable files.
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "Webhooks.Receiver.dll"]
