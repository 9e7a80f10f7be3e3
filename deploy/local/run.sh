#!/usr/bin/env bash
# Runs the service locally with a development configuration, on real PostgreSQL and RabbitMQ.
#
#   deploy/local/run.sh
#
# Starts the project's own PostgreSQL and RabbitMQ (services.sh: installed from Debian's packages
# where missing, data under a folder of this checkout's, loopback only), builds the solution, then
# runs the receiver on http://127.0.0.1:5080 and the processor (health and metrics on
# http://127.0.0.1:5081) in the foreground. Ctrl-C stops both; the databases keep running
# (deploy/local/services.sh stop ends them).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"

"$REPO/deploy/local/services.sh" start
eval "$("$REPO/deploy/local/services.sh" env)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

dotnet build Webhooks.sln -c Release -v quiet -nologo

RECEIVER_URL="${RECEIVER_URL:-http://127.0.0.1:5080}"
PROCESSOR_URL="${PROCESSOR_URL:-http://127.0.0.1:5081}"
pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

(cd Webhooks.Receiver && exec dotnet bin/Release/net10.0/Webhooks.Receiver.dll --urls "$RECEIVER_URL") &
pids+=($!)
(cd Webhooks.Processor && exec dotnet bin/Release/net10.0/Webhooks.Processor.dll --urls "$PROCESSOR_URL") &
pids+=($!)

echo "[run] receiver on $RECEIVER_URL (POST /webhooks/{provider}, GET /health/ready, GET /metrics)"
echo "[run] processor health and metrics on $PROCESSOR_URL (GET /health/ready, GET /metrics)"
echo "[run] Slack alerts go to the log unless Slack__WebhookUrl is set"
echo "[run] RabbitMQ management UI: ${WEBHOOKS_RABBIT_MGMT_URL:-http://127.0.0.1:15720/} (guest/guest)"
wait -n "${pids[@]}"
