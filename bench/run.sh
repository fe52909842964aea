#!/usr/bin/env bash
# End-to-end benchmarks: the same workloads directly against a local upstream, through mitmproxy and through
# Chaperone, in one session on loopback, printed as ratios. Figures from different sessions or machines are not
# comparable; ratios within a session are. See docs/benchmarks.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/run.sh [--quick] [--warmup-seconds S] [--measure-seconds S] [--proxy-warmup-seconds S]
                    [--targets "mitmproxy chaperone"] [--skip-build]

  --quick              smoke run of about two minutes (short runs, fewer idle connections)
  --warmup-seconds S   unmeasured time at the start of every run (default 3; quick: 1)
  --measure-seconds S  measured time of every run (default 8; quick: 2)
  --proxy-warmup-seconds S
                       unmeasured load per path before a target's first run, four times as long for new
                       tunnels (default 30; quick: 5)
  --targets LIST       proxies to measure besides direct (default "mitmproxy chaperone")
  --skip-build         use what is already built

Needs: Java 17+, Maven, curl, jq; mitmproxy (apt-get install -y mitmproxy) and root for unshare(1) to give
mitmdump a private /etc/hosts; Chaperone from dist/target/chaperone-*.tar.gz once it exists.
Results: one JSON line per run in bench/results/run-<time>.jsonl, and a table of ratios on stdout.
USAGE
}

COMMAND_LINE="bench/run.sh $*"
QUICK=0
WARMUP=""
MEASURE=""
PROXY_WARMUP=""
TARGETS="mitmproxy chaperone"
BUILD=1
while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --warmup-seconds) WARMUP="$2"; shift ;;
    --measure-seconds) MEASURE="$2"; shift ;;
    --proxy-warmup-seconds) PROXY_WARMUP="$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    --skip-build) BUILD=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if ((QUICK)); then
  WARMUP="${WARMUP:-1}"; MEASURE="${MEASURE:-2}"; PROXY_WARMUP="${PROXY_WARMUP:-5}"
  IDLE_MITMPROXY="100"; IDLE_CHAPERONE="200"; POLICY_INSTANCES=1000; HOSTS_PER_RUN=5000
else
  WARMUP="${WARMUP:-3}"; MEASURE="${MEASURE:-8}"; PROXY_WARMUP="${PROXY_WARMUP:-30}"
  IDLE_MITMPROXY="1000"; IDLE_CHAPERONE="1000 5000"; POLICY_INSTANCES=10000; HOSTS_PER_RUN=30000
fi
LOADS="25 50 75"
KEEPALIVE_CONNECTIONS=16
NEW_TUNNEL_CONNECTIONS=8

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
RESULTS_DIR="$ROOT/bench/results"
mkdir -p "$RESULTS_DIR"
RESULTS="$RESULTS_DIR/run-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
WORK="$(mktemp -d -t chaperone-bench.XXXXXX)"
CLK_TCK="$(getconf CLK_TCK)"
STARTED_PIDS=()

log() { printf '%s [bench] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

trap cleanup EXIT

for tool in java mvn curl jq; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on the PATH" >&2; exit 1; }
done

# --- build ---------------------------------------------------------------------------------------------------

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

tarball() { compgen -G "$ROOT/dist/target/chaperone-*.tar.gz" | head -n 1; }

if ((BUILD)); then
  if has_target chaperone && [[ -f "$ROOT/dist/pom.xml" ]] && grep -q "<module>dist</module>" "$ROOT/pom.xml"; then
    log "building everything (mvn -q -DskipTests package)"
    (cd "$ROOT" && mvn -q -DskipTests package) || { log "full build failed; building the load driver alone"; \
      (cd "$ROOT" && mvn -q -DskipTests -pl load-driver -am package); }
  else
    log "building the load driver (mvn -q -DskipTests -pl load-driver -am package)"
    (cd "$ROOT" && mvn -q -DskipTests -pl load-driver -am package)
  fi
fi
DRIVER_JAR="$(compgen -G "$ROOT/load-driver/target/chaperone-load-driver-*.jar" | grep -v -e sources -e tests \
  | head -n 1)"
[[ -n "$DRIVER_JAR" ]] || { echo "no load driver jar; run without --skip-build" >&2; exit 1; }
CP="$DRIVER_JAR:$ROOT/load-driver/target/lib/*"

# --- session description -------------------------------------------------------------------------------------

jq -nc --arg started "$(date -u +%FT%TZ)" --arg kernel "$(uname -sr)" --arg cpus "$(nproc)" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
  --arg memory "$(grep MemTotal /proc/meminfo | awk '{print $2 " kB"}')" \
  --arg jdk "$(java -version 2>&1 | head -n 1)" \
  --arg mitmproxy "$(command -v mitmdump >/dev/null && mitmdump --version 2>/dev/null | head -n 1 || echo none)" \
  --arg command "$COMMAND_LINE" --arg quick "$QUICK" --arg warmup "$WARMUP" --arg measure "$MEASURE" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  '{meta: {started: $started, kernel: $kernel, cpus: $cpus, cpu: $cpu, memory: $memory, jdk: $jdk,
    mitmproxy: $mitmproxy, command: $command, quick: $quick, warmupSeconds: $warmup, measureSeconds: $measure,
    loadAverageAtStart: $load}}' > "$RESULTS"

LOAD_AT_START="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v load="$LOAD_AT_START" -v cpus="$(nproc)" 'BEGIN { exit !(load > cpus / 2) }'; then
  log "WARNING: load average $LOAD_AT_START on $(nproc) cores: other work is running and will distort the figures"
fi

# --- upstream ------------------------------------------------------------------------------------------------

log "starting the upstream"
java -cp "$CP" dev.chaperone.loaddriver.LoadDriverMain upstream --ca-out "$WORK/upstream-ca.pem" \
  --port-file "$WORK/upstream.ports" --plain-http 2> "$WORK/upstream.log" &
STARTED_PIDS+=($!)
wait_for 60 "the upstream" test -s "$WORK/upstream.ports"
HTTPS_PORT="$(sed -n 's/^https=//p' "$WORK/upstream.ports")"
HTTP_PORT="$(sed -n 's/^http=//p' "$WORK/upstream.ports")"
HTTPS_TARGET="https://bench.test:$HTTPS_PORT/"
HTTP_TARGET="http://bench.test:$HTTP_PORT/"
log "upstream on 127.0.0.1: https $HTTPS_PORT, http $HTTP_PORT"

# --- driver --------------------------------------------------------------------------------------------------

# One load driver process serves every run of the session: its own code is then compiled during the first
# warm-up and stays compiled, so that later runs measure the target rather than the driver's just-in-time
# compiler (a fresh driver JVM per run spent the first seconds of every run compiling itself). Each run is one
# line of `run` arguments on its standard input, answered by one JSON line; no argument may contain spaces.
coproc DRIVER { exec java -cp "$CP" dev.chaperone.loaddriver.LoadDriverMain serve 2>> "$WORK/driver.log"; }
STARTED_PIDS+=("$DRIVER_PID")

# driver_run ARGS...: one run through the driver; prints its answer line, or fails when there is none.
driver_run() {
  local line
  echo "$*" >&"${DRIVER[1]}"
  IFS= read -r -t 1800 line <&"${DRIVER[0]}" || { log "the load driver gave no answer"; return 1; }
  echo "$line"
}

# drive LABEL ARGS...: one measured run; appends its JSON line to the results and prints it.
drive() {
  local label="$1" line
  shift
  log "run $label"
  line="$(driver_run --label "$label" --warmup-seconds "$WARMUP" --duration-seconds "$MEASURE" \
    --clock-ticks "$CLK_TCK" "$@")" || true
  if [[ -z "$line" ]] || ! jq -e '.throughput' >/dev/null 2>&1 <<< "$line"; then
    log "run $label printed no result: ${line:-nothing}; last driver log lines:"
    tail -n 5 "$WORK/driver.log" >&2
    return 0
  fi
  echo "$line" >> "$RESULTS"
  jq -r '"    \(.throughput | floor) req/s, p50 \(.p50Us | floor) us, p99 \(.p99Us | floor) us, \(.errors) errors"
    + (if .firstError then " (first: \(.firstError))" else "" end)' <<< "$line" >&2
  echo "$line"
}

throughput_of() {
  if [[ -z "$1" ]]; then echo 0; else jq -r '.throughput // 0' <<< "$1"; fi
}

# share_of MAX PERCENT: that share of a throughput, at least 1 request per second.
share_of() { jq -n --argjson max "$1" --argjson percent "$2" '[$max * $percent / 100, 1] | max'; }

DIRECT=(--resolve-all 127.0.0.1 --ca-file "$WORK/upstream-ca.pem")

# warm_up PROXY_NAME ARGS...: unmeasured load on every path the scenarios take (keep-alive HTTP/1.1 and HTTP/2,
# plain HTTP, new tunnels), so that a JVM's just-in-time compiler has done its work before the first measured run.
# Without it the first scenario measures the interpreter: a cold Chaperone ran at a sixth of its warm speed.
warm_up() {
  local name="$1" protocol
  shift
  log "warming $name up (${PROXY_WARMUP}s per path, not recorded)"
  for protocol in h1 h2; do
    driver_run --label "warm-up|$name" --warmup-seconds 0 --duration-seconds "$PROXY_WARMUP" "$@" \
      --target "$HTTPS_TARGET" --protocol "$protocol" --connections "$KEEPALIVE_CONNECTIONS" >/dev/null || true
  done
  driver_run --label "warm-up|$name" --warmup-seconds 0 --duration-seconds "$PROXY_WARMUP" "$@" \
    --target "$HTTP_TARGET" --connections "$KEEPALIVE_CONNECTIONS" >/dev/null || true
  # The handshake path is long and each handshake runs it once, so the JIT needs minutes of new tunnels before
  # it stops compiling: after 90 s of them Chaperone still spent nearly half its CPU in the C2 compiler.
  driver_run --label "warm-up|$name" --warmup-seconds 0 --duration-seconds "$((PROXY_WARMUP * 4))" "$@" \
    --target "$HTTPS_TARGET" --mode new-connection --connections "$NEW_TUNNEL_CONNECTIONS" >/dev/null || true
  # New hosts run code of their own (minting, a new upstream destination and connection): the first third of
  # the unique names, so that the measured runs find theirs still new.
  driver_run --label "warm-up|$name" --warmup-seconds 0 --duration-seconds "$PROXY_WARMUP" "$@" \
    --target "$HTTPS_TARGET" --mode unique-hosts --host-range "0:$((HOSTS_PER_RUN / 3))" \
    --connections "$NEW_TUNNEL_CONNECTIONS" >/dev/null || true
}

# The workload of one proxy: PROXY_NAME, then the driver arguments that send through it.
measure_proxy() {
  local name="$1"
  shift
  local proxied=("$@") protocol max rate load result

  warm_up "$name" "${proxied[@]}"

  for protocol in h1 h2; do
    result="$(drive "keepalive-$protocol|$name|max" "${proxied[@]}" --target "$HTTPS_TARGET" \
      --protocol "$protocol" --connections "$KEEPALIVE_CONNECTIONS")"
    max="$(throughput_of "$result")"
    if [[ "$max" == 0 ]]; then
      log "no maximum for keepalive-$protocol through $name; skipping its fixed-rate runs"
      continue
    fi
    for load in $LOADS; do
      rate="$(share_of "$max" "$load")"
      drive "keepalive-$protocol|direct@$name|$load" "${DIRECT[@]}" --target "$HTTPS_TARGET" \
        --protocol "$protocol" --rate "$rate" --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
      drive "keepalive-$protocol|$name|$load" "${proxied[@]}" --target "$HTTPS_TARGET" --protocol "$protocol" \
        --rate "$rate" --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
    done
  done

  result="$(drive "plain-http|$name|max" "${proxied[@]}" --target "$HTTP_TARGET" \
    --connections "$KEEPALIVE_CONNECTIONS")"
  rate="$(share_of "$(throughput_of "$result")" 50)"
  drive "plain-http|direct@$name|50" "${DIRECT[@]}" --target "$HTTP_TARGET" --rate "$rate" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
  drive "plain-http|$name|50" "${proxied[@]}" --target "$HTTP_TARGET" --rate "$rate" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null

  drive "new-tunnel-hit|$name|max" "${proxied[@]}" --target "$HTTPS_TARGET" --mode new-connection \
    --connections "$NEW_TUNNEL_CONNECTIONS" > /dev/null
  drive "new-tunnel-miss|$name|max" "${proxied[@]}" --target "$HTTPS_TARGET" --mode unique-hosts \
    --host-range "$((HOSTS_PER_RUN / 3)):$((HOSTS_PER_RUN / 3))" --connections "$NEW_TUNNEL_CONNECTIONS" > /dev/null

  # One tunnel at a time, so that latency is the cost of a tunnel and not of waiting for others: what a new
  # tunnel adds over a new direct TLS connection, and what a certificate miss adds over a hit. The miss takes
  # the last third of the host names, which no run before it reached.
  drive "new-tunnel-hit|direct@$name|serial" "${DIRECT[@]}" --target "$HTTPS_TARGET" --mode new-connection \
    --connections 1 > /dev/null
  drive "new-tunnel-hit|$name|serial" "${proxied[@]}" --target "$HTTPS_TARGET" --mode new-connection \
    --connections 1 > /dev/null
  drive "new-tunnel-miss|$name|serial" "${proxied[@]}" --target "$HTTPS_TARGET" --mode unique-hosts \
    --host-range "$((HOSTS_PER_RUN * 2 / 3)):$((HOSTS_PER_RUN / 3))" --connections 1 > /dev/null
}

measure_idle() {  # measure_idle NAME COUNTS ARGS...
  local name="$1" counts="$2" count
  shift 2
  for count in $counts; do
    drive "idle-$count|$name|hold" "$@" --target "$HTTPS_TARGET" --mode idle-hold --connections "$count" \
      --hold-seconds 1 > /dev/null
  done
}

# A hosts file for the proxies: bench.test and the unique names h<n>.bench.test, all on loopback.
write_hosts_file() {
  { echo "127.0.0.1 localhost"; echo "127.0.0.1 bench.test"; \
    seq 0 $((HOSTS_PER_RUN - 1)) | sed 's/^\(.*\)$/127.0.0.1 h\1.bench.test/'; } > "$1"
}

# --- direct --------------------------------------------------------------------------------------------------

warm_up direct "${DIRECT[@]}"
for protocol in h1 h2; do
  drive "keepalive-$protocol|direct|max" "${DIRECT[@]}" --target "$HTTPS_TARGET" --protocol "$protocol" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
done
drive "plain-http|direct|max" "${DIRECT[@]}" --target "$HTTP_TARGET" --connections "$KEEPALIVE_CONNECTIONS" \
  > /dev/null
drive "new-tunnel-hit|direct|max" "${DIRECT[@]}" --target "$HTTPS_TARGET" --mode new-connection \
  --connections "$NEW_TUNNEL_CONNECTIONS" > /dev/null

# --- mitmproxy -----------------------------------------------------------------------------------------------

start_mitmproxy() {
  if ! command -v mitmdump >/dev/null; then
    log "SKIPPING mitmproxy: mitmdump not found (apt-get install -y mitmproxy)"
    return 1
  fi
  if ! unshare --mount true 2>/dev/null; then
    log "SKIPPING mitmproxy: unshare --mount is not permitted (needs root) to give it a private /etc/hosts"
    return 1
  fi
  local port
  port="$(free_port)"
  write_hosts_file "$WORK/mitmproxy.hosts"
  echo "bench:mitmproxy-bench-password" > "$WORK/mitmproxy.auth"
  # mitmproxy resolves through the system resolver; a private mount namespace lets it alone see the names.
  unshare --mount sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$WORK/mitmproxy.hosts" \
    mitmdump --quiet --listen-host 127.0.0.1 --listen-port "$port" --set confdir="$WORK/mitmproxy" \
    --set ssl_verify_upstream_trusted_ca="$WORK/upstream-ca.pem" \
    --set proxyauth="$(cat "$WORK/mitmproxy.auth")" > "$WORK/mitmproxy.log" 2>&1 &
  MITMPROXY_PID=$!
  STARTED_PIDS+=("$MITMPROXY_PID")
  # Checked one by one: this function runs as an if condition, where set -e does not apply.
  wait_for 60 "mitmproxy's CA" test -s "$WORK/mitmproxy/mitmproxy-ca-cert.pem" || return 1
  wait_for 60 "mitmproxy's port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || return 1
  MITMPROXY=(--proxy "127.0.0.1:$port" --proxy-auth-file "$WORK/mitmproxy.auth"
    --ca-file "$WORK/mitmproxy/mitmproxy-ca-cert.pem" --proxy-pid "$MITMPROXY_PID")
  log "mitmproxy (pid $MITMPROXY_PID) on 127.0.0.1:$port"
}

if has_target mitmproxy && start_mitmproxy; then
  measure_proxy mitmproxy "${MITMPROXY[@]}"
  measure_idle mitmproxy "$IDLE_MITMPROXY" "${MITMPROXY[@]}"
  kill "$MITMPROXY_PID"
fi

# --- Chaperone -----------------------------------------------------------------------------------------------

admin() {  # admin METHOD PATH [JSON]
  curl -sS --fail-with-body -X "$1" -H "Authorization: Bearer $(cat "$CHAPERONE_DATA/admin.token")" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} "http://127.0.0.1:$CHAPERONE_ADMIN_PORT$2"
}

start_chaperone() {
  local archive
  archive="$(tarball || true)"
  if [[ -z "$archive" ]]; then
    log "SKIPPING Chaperone: no dist/target/chaperone-*.tar.gz (build the dist module first)"
    return 1
  fi
  mkdir -p "$WORK/chaperone"
  tar -xzf "$archive" -C "$WORK/chaperone" || { log "SKIPPING Chaperone: cannot unpack $archive"; return 1; }
  local home
  home="$(dirname "$(compgen -G "$WORK/chaperone/*/bin/chaperone" || compgen -G "$WORK/chaperone/bin/chaperone")")/.."
  CHAPERONE_PROXY_PORT="$(free_port)"
  CHAPERONE_ADMIN_PORT="$(free_port)"
  CHAPERONE_DATA="$WORK/chaperone-data"
  write_hosts_file "$WORK/chaperone.hosts"
  # The idle scenarios hold thousands of tunnels for one instance, more than its default connection limit.
  (cd "$home" && exec env CHAPERONE_PROXY_PORT="$CHAPERONE_PROXY_PORT" \
    CHAPERONE_ADMIN_PORT="$CHAPERONE_ADMIN_PORT" CHAPERONE_DATA_DIR="$CHAPERONE_DATA" \
    CHAPERONE_DNS_HOSTS_FILE="$WORK/chaperone.hosts" CHAPERONE_UPSTREAM_CA_FILE="$WORK/upstream-ca.pem" \
    CHAPERONE_UPSTREAM_ALLOW_PRIVATE=127.0.0.0/8 CHAPERONE_LIMITS_CONNECTIONS_PER_INSTANCE=20000 \
    bin/chaperone) > "$WORK/chaperone.log" 2>&1 &
  CHAPERONE_PID=$!
  STARTED_PIDS+=("$CHAPERONE_PID")
  wait_for 120 "Chaperone's admin API" curl -sf "http://127.0.0.1:$CHAPERONE_ADMIN_PORT/health" \
    || { tail -n 20 "$WORK/chaperone.log" >&2; return 1; }
  # bin/chaperone may stay as a shell around the JVM; measure the JVM.
  local jvm
  jvm="$(pgrep -P "$CHAPERONE_PID" java || true)"
  CHAPERONE_JVM="${jvm:-$CHAPERONE_PID}"

  # Checked one by one: this function runs as an if condition, where set -e does not apply.
  admin GET /v1/ca > "$WORK/chaperone-ca.pem" || { log "SKIPPING Chaperone: GET /v1/ca failed"; return 1; }
  local created token
  created="$(admin PUT /v1/instances/bench \
    '{"chain":[{"plugin":"allowlist","config":{"hosts":["bench.test","*.bench.test"]}}]}')" \
    || { log "SKIPPING Chaperone: creating the instance failed: $created"; return 1; }
  token="$(jq -r '.token // empty' <<< "$created")"
  [[ -n "$token" ]] || { log "SKIPPING Chaperone: no token in the answer to PUT /v1/instances/bench"; return 1; }
  echo "bench:$token" > "$WORK/chaperone.auth"
  CHAPERONE=(--proxy "127.0.0.1:$CHAPERONE_PROXY_PORT" --proxy-auth-file "$WORK/chaperone.auth"
    --ca-file "$WORK/chaperone-ca.pem" --proxy-pid "$CHAPERONE_JVM")
  log "Chaperone (pid $CHAPERONE_JVM) proxy 127.0.0.1:$CHAPERONE_PROXY_PORT admin $CHAPERONE_ADMIN_PORT"
}

# for_other_instances METHOD EXPECTED: sends METHOD for sandbox-1 .. sandbox-(N-1); logs how many answered EXPECTED.
for_other_instances() {
  local answered
  answered="$(for_instances "$CHAPERONE_ADMIN_PORT" "$(cat "$CHAPERONE_DATA/admin.token")" "$POLICY_INSTANCES" \
    "$1" "$2" "$WORK")"
  log "$1: $answered of $((POLICY_INSTANCES - 1)) instances answered $2"
}

# 1 against N instances in the order 1, N, N, 1: the proxy's state drifts between runs (compilation, heap), and
# pairing each N run with the nearer 1 run cancels a steady drift instead of reporting it as the cost of N.
measure_policy_scale() {
  local many="policy-$POLICY_INSTANCES|chaperone" one="policy-1|chaperone"
  admin PUT /v1/instances/bench "$(policy_chain bench)" > /dev/null
  drive "$one|max-1" "${CHAPERONE[@]}" --proxy-jvm --target "$HTTPS_TARGET" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
  log "creating $((POLICY_INSTANCES - 1)) more instances with 100-rule chains"
  for_other_instances PUT '200|201'
  drive "$many|max-1" "${CHAPERONE[@]}" --proxy-jvm --target "$HTTPS_TARGET" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
  drive "$many|max-2" "${CHAPERONE[@]}" --proxy-jvm --target "$HTTPS_TARGET" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
  log "deleting them again"
  for_other_instances DELETE '204'
  drive "$one|max-2" "${CHAPERONE[@]}" --proxy-jvm --target "$HTTPS_TARGET" \
    --connections "$KEEPALIVE_CONNECTIONS" > /dev/null
}

if has_target chaperone && start_chaperone; then
  measure_proxy chaperone "${CHAPERONE[@]}"
  # jcmd forces a full GC before each heap reading, so only the memory scenarios ask for the heap.
  measure_idle chaperone "$IDLE_CHAPERONE" "${CHAPERONE[@]}" --proxy-jvm
  measure_policy_scale
fi

# --- report --------------------------------------------------------------------------------------------------

echo
jq -r '.meta | "machine: \(.cpus) x \(.cpu), \(.memory), \(.kernel); \(.jdk); mitmproxy: \(.mitmproxy)"' \
  <(head -n 1 "$RESULTS")
echo "runs: warm-up ${WARMUP}s + ${MEASURE}s measured each; load average at start $LOAD_AT_START," \
  "at end $(cut -d' ' -f1 /proc/loadavg)"
echo
java -cp "$CP" dev.chaperone.loaddriver.LoadDriverMain report "$RESULTS"
echo
echo "raw results: $RESULTS"
