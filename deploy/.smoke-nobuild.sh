#!/usr/bin/env bash
# The container path for real, on a machine without Docker or an image registry (opt-in, not in
# `npm test`; `npm run test:containers`):
#   1. a base image: a Debian rootfs from debootstrap + the repo's own Node 24 (the `node` package)
#      + npm, imported with `podman import` (cached in $SMOKE_CACHE, rebuilt with SMOKE_REBUILD_BASE=1);
#   2. every service image and the migrate image, built with the real deploy/Dockerfile on it;
#   3. the migrations, then the seven services as containers on this machine's Postgres and NATS
#      (--network host, a database and a FLOWSTACK_NS of their own);
#   4. one workflow driven through the containerized gateway, then every container stopped with
#      SIGTERM, reporting each exit code.
# Needs root, podman, runc and debootstrap (apt-get install podman runc debootstrap), network access
# to Debian's and npm's registries for the builds. Prints how long each step took.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE_CACHE=${SMOKE_CACHE:-/var/tmp/flowstack-smoke}
SUITE=${SMOKE_SUITE:-bookworm}
TAG=smoke
PG_ADMIN_URL=${SMOKE_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
NATS_URL=${SMOKE_NATS_URL:-nats://127.0.0.1:4222}
RUN_ID=$(date +%s)-$$
DB=flowstack_smoke_${RUN_ID//-/_}
NS=smoke${RUN_ID//-/}
GATEWAY_PORT=${SMOKE_GATEWAY_PORT:-18580}
SERVICES=(identity registry orchestrator tool-runner scheduler billing gateway)
STARTED=$(date +%s)

step_started=0
step() {
  step_started=$(date +%s)
  echo "== $*"
}
done_step() { echo "   ($(($(date +%s) - step_started)) s)"; }

for tool in podman runc debootstrap curl jq psql; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is missing (apt-get install podman runc debootstrap curl jq postgresql-client)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo 'smoke: podman runs containers here as root only' >&2; exit 1; }

# crun fails on this host's cgroups and the default ulimits are refused: runc, cgroupfs, no ulimits.
mkdir -p "$SMOKE_CACHE"
export CONTAINERS_CONF="$SMOKE_CACHE/containers.conf"
cat >"$CONTAINERS_CONF" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
PODMAN=(podman --runtime /usr/sbin/runc)

NODE_BIN=$(readlink -f "$ROOT/node_modules/.bin/node")
"$NODE_BIN" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' ||
  { echo "smoke: $NODE_BIN is not Node 24: run npm install in the repo" >&2; exit 1; }
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$NPM_DIR/bin/npm-cli.js" ] || { echo "smoke: cannot find npm's package next to $(command -v npm)" >&2; exit 1; }

# --- 1. base image ----------------------------------------------------------------------------------
BASE=localhost/flowstack-base:$TAG
if [ "${SMOKE_REBUILD_BASE:-0}" = 1 ] || ! "${PODMAN[@]}" image exists "$BASE"; then
  step "base image: debootstrap $SUITE + Node $("$NODE_BIN" --version) + npm $(node "$NPM_DIR/bin/npm-cli.js" --version 2>/dev/null || echo '?')"
  ROOTFS="$SMOKE_CACHE/rootfs"
  if [ ! -x "$ROOTFS/bin/sh" ]; then
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$ROOTFS" http://deb.debian.org/debian >"$SMOKE_CACHE/debootstrap.log"
  fi
  # The image trusts what this machine trusts (npm and apt may sit behind a TLS-inspecting proxy).
  cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  install -m 0755 "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
  rm -rf "$ROOTFS/usr/local/lib/node_modules/npm"
  mkdir -p "$ROOTFS/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  rm -rf "$ROOTFS/var/cache/apt/archives"/*.deb "$ROOTFS/var/lib/apt/lists"/*
  tar -C "$ROOTFS" -c . | "${PODMAN[@]}" import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' --change 'CMD ["node"]' - "$BASE" >/dev/null
  done_step
fi

USER_OF=$("${PODMAN[@]}" image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}}' localhost/flowstack/gateway:$TAG)
echo "   gateway image runs as ${USER_OF}"

# --- 3. run ---------------------------------------------------------------------------------------------
CONTAINERS=()
cleanup() {
  for c in "${CONTAINERS[@]}"; do "${PODMAN[@]}" rm -f "$c" >/dev/null 2>&1 || true; done
  psql -q "$PG_ADMIN_URL" -c "drop database if exists $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
psql -q "$PG_ADMIN_URL" -c "create database $DB" >/dev/null
COMMON=(--network host -e NODE_ENV=production -e DATABASE_URL="$DATABASE_URL" -e NATS_URL="$NATS_URL" -e FLOWSTACK_NS="$NS" -e LOG_FORMAT=json)

step 'migrations (one-shot container)'
"${PODMAN[@]}" run --rm "${COMMON[@]}" "localhost/flowstack/migrate:$TAG"
done_step

# What every container printed last, and how it ended: the failure report of the steps below.
report_containers() {
  for c in "${CONTAINERS[@]}"; do
    echo "--- ${c%-"$RUN_ID"}: $("${PODMAN[@]}" inspect --format '{{.State.Status}} (exit {{.State.ExitCode}})' "$c" 2>&1)" >&2
    "${PODMAN[@]}" logs --tail 20 "$c" >&2 2>&1 || true
  done
}

step 'services'
# The secrets docker-compose.yml gives them: identity signs and the gateway checks tokens with
# JWT_SECRET; the registry, the scheduler and the tool-runner open sealed credentials with the
# master key (NODE_ENV=production: the ones that need them do not start without them).
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
MASTER_KEY="v1:$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
port=$((GATEWAY_PORT + 1))
declare -A READINESS
for s in "${SERVICES[@]}"; do
  name="flowstack-smoke-$s-$RUN_ID"
  extra=(-e MIGRATIONS=skip)
  if [ "$s" = gateway ]; then
    extra+=(-e GATEWAY_PORT="$GATEWAY_PORT" -e GATEWAY_HOST=127.0.0.1)
    READINESS[$name]="http://127.0.0.1:$GATEWAY_PORT/api/v1/health/readiness"
  else
    extra+=(-e METRICS_PORT="$port" -e METRICS_HOST=127.0.0.1)
    READINESS[$name]="http://127.0.0.1:$port/health/readiness"
    port=$((port + 1))
  fi
  case $s in identity | gateway) extra+=(-e JWT_SECRET="$JWT_SECRET") ;; esac
  case $s in registry | scheduler | tool-runner) extra+=(-e FLOWSTACK_MASTER_KEY="$MASTER_KEY") ;; esac
  "${PODMAN[@]}" run -d --name "$name" "${COMMON[@]}" "${extra[@]}" "localhost/flowstack/$s:$TAG" >/dev/null
  CONTAINERS+=("$name")
done
# Ready means each one's readiness probe answers 200: Postgres, NATS, its streams and consumers.
# Seven Node processes start at once on a busy 2-core machine: give them SMOKE_READY_S (180 s).
deadline=$(($(date +%s) + ${SMOKE_READY_S:-180}))
for c in "${CONTAINERS[@]}"; do
  until curl -sf -o /dev/null "${READINESS[$c]}"; do
    if [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$c")" != true ] || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "smoke: ${c%-"$RUN_ID"} never got ready (${READINESS[$c]})" >&2
      report_containers
      exit 1
    fi
    sleep 0.5
  done
  echo "   ${c%-"$RUN_ID"} ready after $(($(date +%s) - step_started)) s"
done
done_step

# --- 4. one workflow through the containerized gateway ---------------------------------------------------
API="http://127.0.0.1:$GATEWAY_PORT/api/v1"
step 'web app at / from the gateway image'
# The built app (apps/web/dist in GATEWAY_WEB_DIR), not the sources' index.html: its root element
# and a hashed bundle under /assets/ that is served as JavaScript.
page=$(curl -sf -H 'accept: text/html' "http://127.0.0.1:$GATEWAY_PORT/")
grep -q '<div id="root"></div>' <<<"$page" || { echo "smoke: / is not the web app: ${page:0:300}" >&2; exit 1; }
bundle=$(grep -o 'src="/assets/[^"]*\.js"' <<<"$page" | head -1 | cut -d'"' -f2)
[ -n "$bundle" ] || { echo "smoke: / names no built bundle under /assets/: ${page:0:300}" >&2; exit 1; }
type=$(curl -sf -o /dev/null -w '%{content_type}' "http://127.0.0.1:$GATEWAY_PORT$bundle")
[[ $type == *javascript* ]] || { echo "smoke: $bundle answered $type" >&2; exit 1; }
echo "   / is the app (<div id=\"root\">), $bundle is $type"
done_step

step 'one workflow through the gateway'
# A request that must answer 2xx: prints the body, else the status, the body and every container's log.
call() {
  local out code url
  for url in "$@"; do [[ $url == http* ]] && break; done
  out=$(curl -s -w '\n%{http_code}' "$@") || { echo "smoke: no answer from $url" >&2; report_containers; exit 1; }
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  [[ $code == 2?? ]] || { echo "smoke: $url answered $code: $out" >&2; report_containers; exit 1; }
  printf '%s' "$out"
}
TOKEN=$(call "$API/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"smoke-$RUN_ID@example.com\",\"password\":\"correct horse battery\",\"name\":\"Smoke\"}" | jq -r .token)
WF=$(call "$API/workflows" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{
  "name": "Smoke",
  "graph": {
    "entry_point": "in",
    "nodes": [
      { "id": "in", "type": "input" },
      { "id": "shout", "type": "transform", "config": { "expression": "$uppercase(input.name)" } },
      { "id": "sorted", "type": "transform", "config": { "expression": "$sort([3, 1, 2])" } },
      { "id": "out", "type": "output", "config": { "value": { "greeting": "Hello, {{ nodes.shout.output }}!", "sorted": "{{ nodes.sorted.output }}" } } }
    ],
    "edges": [ { "from": "in", "to": "shout" }, { "from": "in", "to": "sorted" }, { "from": "shout", "to": "out" }, { "from": "sorted", "to": "out" } ]
  }}' | jq -r .id)
EXEC=$(call "$API/workflows/$WF/executions" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"input":{"name":"container"}}' | jq -r .executionId)
deadline=$(($(date +%s) + 60))
while :; do
  state=$(call "$API/executions/$EXEC" -H "authorization: Bearer $TOKEN")
  status=$(jq -r .status <<<"$state")
  [ "$status" = completed ] || [ "$status" = failed ] && break
  [ "$(date +%s)" -lt "$deadline" ] || break
  sleep 0.2
done
echo "   execution $EXEC: $(jq -c '{status, output}' <<<"$state")"
[ "$(jq -cS .output <<<"$state")" = '{"greeting":"Hello, CONTAINER!","sorted":[1,2,3]}' ] || {
  echo "smoke: wrong result: $state" >&2
  report_containers
  exit 1
}
done_step

step 'SIGTERM to every container (podman stop, 30 s grace)'
# Each must drain and exit 0 on SIGTERM (tini forwards it to Node); 137 would mean the grace ran out.
unclean=0
for c in "${CONTAINERS[@]}"; do
  t=$(date +%s%N)
  "${PODMAN[@]}" stop -t 30 "$c" >/dev/null
  code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$c")
  echo "   ${c%-"$RUN_ID"}: exit $code after $((($(date +%s%N) - t) / 1000000)) ms"
  if [ "$code" != 0 ]; then
    unclean=$((unclean + 1))
    "${PODMAN[@]}" logs --tail 20 "$c" >&2 2>&1 || true
  fi
done
[ "$unclean" = 0 ] || { echo "smoke: $unclean containers did not exit 0 on SIGTERM" >&2; exit 1; }
done_step

echo "smoke: passed in $(($(date +%s) - STARTED)) s"
