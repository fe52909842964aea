#!/usr/bin/env bash
# Compares two Chaperone builds (or one build with two sets of JVM options) on keep-alive HTTPS, running both
# side by side against one upstream and alternating measured runs between them, so that both see the same
# machine. On a shared 2-core machine a single run moves by +-15% between two identical proxies; a change is
# worth believing when B beats A in (nearly) every round, not when one pair of runs differs.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/ab.sh [--rounds N] [--protocol h1|h2] [--mode keep-alive|new-connection|unique-hosts]
                   [--warmup-seconds S] [--measure-seconds S]
                   [--java-opts-a OPTS] [--java-opts-b OPTS] [--instances-b N] A B

  A, B                  a Chaperone release tarball (dist/target/chaperone-*.tar.gz) or an unpacked one;
                        the same one twice to compare JVM options
  --rounds N            measured runs per build, alternating A, B, A, B, ... (default 6)
  --protocol P          h1 or h2 between the driver and the proxy (default h1)
  --mode M              keep-alive (16 connections, one request after another on each), new-connection
                        (8 at a time, a new tunnel and TLS handshake per request) or unique-hosts (4 at a
                        time, a new tunnel to a host name the proxy has not seen: a certificate to mint and
                        a new upstream connection); default keep-alive
  --warmup-seconds S    unrecorded load on each proxy before the first round (default 60)
  --measure-seconds S   measured time of every run, after 2 s unmeasured (default 8)
  --java-opts-a OPTS, --java-opts-b OPTS
                        JAVA_OPTS for bin/chaperone of A or B, such as -XX:+UseParallelGC
  --instances-b N       give B N instances instead of one, each with a 100-host allowlist (the one measured
                        included, which A has too): what many instances cost each request

Prints one line per run (throughput, proxy CPU and context switches per request, p50) and, at the end,
B's throughput and proxy CPU per request over A's in every round. Build the load driver first (mvn -q -DskipTests package).
USAGE
}

ROUNDS=6 PROTOCOL=h1 MODE=keep-alive WARMUP=60 MEASURE=8 OPTS_A="" OPTS_B="" INSTANCES_B=1 HOMES=()
while (($#)); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --protocol) PROTOCOL="$2"; shift ;;
    --mode) MODE="$2"; shift ;;
    --warmup-seconds) WARMUP="$2"; shift ;;
    --measure-seconds) MEASURE="$2"; shift ;;
    --java-opts-a) OPTS_A="$2"; shift ;;
    --java-opts-b) OPTS_B="$2"; shift ;;
    --instances-b) INSTANCES_B="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) HOMES+=("$1") ;;
  esac
  shift
done
((${#HOMES[@]} == 2)) || { usage >&2; exit 2; }
case "$MODE" in
  keep-alive) CONNECTIONS=16 ;;
  new-connection) CONNECTIONS=8 ;;
  unique-hosts) CONNECTIONS=4 ;;
  *) echo "unknown mode $MODE" >&2; usage >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
DRIVER_JAR="$(compgen -G "$ROOT/load-driver/target/chaperone-load-driver-*.jar" | grep -v -e sources -e tests \
  | head -n 1 || true)"
[[ -n "$DRIVER_JAR" ]] || { echo "no load driver jar; run mvn -q -DskipTests package first" >&2; exit 1; }
CP="$DRIVER_JAR:$ROOT/load-driver/target/lib/*"
WORK="$(mktemp -d -t chaperone-ab.XXXXXX)"
STARTED_PIDS=()

log() { printf '%s [ab] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

trap cleanup EXIT

# home_of NAME PATH: the Chaperone home for a tarball (unpacked into the work directory) or a directory.
home_of() {
  if [[ -d "$2" ]]; then
    (cd "$2" && pwd)
  else
    mkdir -p "$WORK/$1-home"
    tar -xzf "$2" -C "$WORK/$1-home"
    dirname "$(dirname "$(compgen -G "$WORK/$1-home/*/bin/chaperone" | head -n 1)")"
  fi
}

log "starting the upstream"
java -cp "$CP" dev.chaperone.loaddriver.LoadDriverMain upstream --ca-out "$WORK/upstream-ca.pem" \
  --port-file "$WORK/upstream.ports" 2> "$WORK/upstream.log" &
STARTED_PIDS+=($!)
wait_for 60 "the upstream" test -s "$WORK/upstream.ports"
TARGET="https://bench.test:$(sed -n 's/^https=//p' "$WORK/upstream.ports")/"
# unique-hosts gives every run names of its own, h<N>.bench.test: WARMUP_HOSTS for each warm-up, then
# HOSTS_PER_RUN for each measured run, far more than a run reaches at the rate new hosts go.
HOSTS_PER_RUN=4000 WARMUP_HOSTS=$((WARMUP * 200))
{
  printf '127.0.0.1 localhost\n127.0.0.1 bench.test\n'
  if [[ "$MODE" == unique-hosts ]]; then
    seq 0 $((2 * WARMUP_HOSTS + 2 * ROUNDS * HOSTS_PER_RUN - 1)) | sed 's/.*/127.0.0.1 h&.bench.test/'
  fi
} > "$WORK/hosts"
host_range() {  # host_range FIRST COUNT: the --host-range argument of a run, in unique-hosts mode only
  [[ "$MODE" == unique-hosts ]] && echo "--host-range $1:$2"
  return 0
}

declare -A ARGS PIDS ADMIN_PORTS TOKENS
start_chaperone() {  # start_chaperone NAME HOME JAVA_OPTS
  local name="$1" home="$2" proxy_port admin_port data="$WORK/$1-data" token created pid
  proxy_port="$(free_port)"
  admin_port="$(free_port)"
  (cd "$home" && exec env CHAPERONE_PROXY_PORT="$proxy_port" CHAPERONE_ADMIN_PORT="$admin_port" \
    CHAPERONE_DATA_DIR="$data" CHAPERONE_DNS_HOSTS_FILE="$WORK/hosts" \
    CHAPERONE_UPSTREAM_CA_FILE="$WORK/upstream-ca.pem" CHAPERONE_UPSTREAM_ALLOW_PRIVATE=127.0.0.0/8 \
    JAVA_OPTS="$3" bin/chaperone) > "$WORK/$name.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait_for 120 "Chaperone $name" curl -sf "http://127.0.0.1:$admin_port/health" \
    || { tail -n 20 "$WORK/$name.log" >&2; exit 1; }
  token="$(cat "$data/admin.token")"
  ADMIN_PORTS[$name]="$admin_port"
  TOKENS[$name]="$token"
  curl -sSf -H "Authorization: Bearer $token" "http://127.0.0.1:$admin_port/v1/ca" > "$WORK/$name-ca.pem"
  created="$(curl -sSf -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data '{"chain":[{"plugin":"allowlist","config":{"hosts":["bench.test","*.bench.test"]}}]}' \
    "http://127.0.0.1:$admin_port/v1/instances/bench")"
  echo "bench:$(jq -r .token <<< "$created")" > "$WORK/$name.auth"
  # bin/chaperone execs the JVM, so the shell's pid is the JVM's.
  PIDS[$name]="$pid"
  ARGS[$name]="--proxy 127.0.0.1:$proxy_port --proxy-auth-file $WORK/$name.auth --ca-file $WORK/$name-ca.pem"
  ARGS[$name]+=" --proxy-pid $pid --target $TARGET --protocol $PROTOCOL --mode $MODE --connections $CONNECTIONS"
  log "$name: $home (pid $pid, proxy port $proxy_port${3:+, JAVA_OPTS $3})"
}
start_chaperone A "$(home_of A "${HOMES[0]}")" "$OPTS_A"
start_chaperone B "$(home_of B "${HOMES[1]}")" "$OPTS_B"
if ((INSTANCES_B > 1)); then
  for name in A B; do
    curl -sSf -o /dev/null -X PUT -H "Authorization: Bearer ${TOKENS[$name]}" -H 'Content-Type: application/json' \
      --data "$(policy_chain bench)" "http://127.0.0.1:${ADMIN_PORTS[$name]}/v1/instances/bench"
  done
  log "creating $((INSTANCES_B - 1)) more instances in B"
  created="$(for_instances "${ADMIN_PORTS[B]}" "${TOKENS[B]}" "$INSTANCES_B" PUT '200|201' "$WORK")"
  log "$created of $((INSTANCES_B - 1)) created"
fi

coproc DRIVER { exec java -cp "$CP" dev.chaperone.loaddriver.LoadDriverMain serve 2>> "$WORK/driver.log"; }
STARTED_PIDS+=("$DRIVER_PID")
driver_run() {
  local line
  echo "$*" >&"${DRIVER[1]}"
  IFS= read -r -t 600 line <&"${DRIVER[0]}" || { log "the load driver gave no answer"; exit 1; }
  jq -e '.throughput' >/dev/null 2>&1 <<< "$line" || { log "the load driver failed: $line"; exit 1; }
  echo "$line"
}

# Context switches of every live thread of a process, voluntary and not, then the thread ids. A thread that
# exits takes its count with it, so a difference is only meaningful when every thread of the first reading is
# still there at the second (see threads_survived).
context_switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'
  ls /proc/"$1"/task 2>/dev/null | sort | tr '\n' ' '
}

# threads_survived BEFORE AFTER: whether every thread id in the second line of BEFORE is in that of AFTER.
threads_survived() {
  local tid after=" $(sed -n 2p <<< "$2") "
  for tid in $(sed -n 2p <<< "$1"); do
    [[ "$after" == *" $tid "* ]] || return 1
  done
}

run=0
for name in A B; do
  log "warming $name up (${WARMUP}s, not recorded)"
  # shellcheck disable=SC2086 # ARGS holds words on purpose
  driver_run --label warm-up --warmup-seconds 0 --duration-seconds "$WARMUP" ${ARGS[$name]} \
    $(host_range $((run * WARMUP_HOSTS)) "$WARMUP_HOSTS") > /dev/null
  run=$((run + 1))
done

declare -A THROUGHPUT CPU
for round in $(seq 1 "$ROUNDS"); do
  for name in A B; do
    before="$(context_switches "${PIDS[$name]}")"
    # shellcheck disable=SC2086
    line="$(driver_run --label "$name-$round" --warmup-seconds 2 --duration-seconds "$MEASURE" ${ARGS[$name]} \
      $(host_range $((2 * WARMUP_HOSTS + (run - 2) * HOSTS_PER_RUN)) "$HOSTS_PER_RUN"))"
    run=$((run + 1))
    after="$(context_switches "${PIDS[$name]}")"
    THROUGHPUT[$name-$round]="$(jq -r '.throughput' <<< "$line")"
    CPU[$name-$round]="$(jq -r '.proxyCpuUsPerRequest' <<< "$line")"
    # The switches are counted over the 2 s unmeasured start as well, so they are spread over its requests too.
    switches=null
    if threads_survived "$before" "$after"; then
      switches=$(($(head -n 1 <<< "$after") - $(head -n 1 <<< "$before")))
    fi
    jq -r --arg name "$name" --arg round "$round" --argjson switches "$switches" \
      --argjson share "$(awk -v m="$MEASURE" 'BEGIN { print (m + 2) / m }')" \
      '"round \($round) \($name): \(.throughput | floor) req/s, proxy CPU \(.proxyCpuUsPerRequest | floor) us/req,"
       + (if $switches == null then " context switches n/a (a proxy thread exited)"
          else " \($switches / (.requests * $share) * 100 | floor / 100) context switches/req" end)
       + ", p50 \(.p50Us | floor) us,"
       + " \(.errors) errors" + (if .firstError then " (first: \(.firstError))" else "" end)' <<< "$line"
  done
done

echo
wins=0 cheaper=0
ratios=() cpu_ratios=()
for round in $(seq 1 "$ROUNDS"); do
  ratio="$(awk -v a="${THROUGHPUT[A-$round]}" -v b="${THROUGHPUT[B-$round]}" 'BEGIN { printf "%.3f", b / a }')"
  ratios+=("$ratio")
  awk -v r="$ratio" 'BEGIN { exit !(r > 1) }' && wins=$((wins + 1))
  ratio="$(awk -v a="${CPU[A-$round]}" -v b="${CPU[B-$round]}" 'BEGIN { printf "%.3f", b / a }')"
  cpu_ratios+=("$ratio")
  awk -v r="$ratio" 'BEGIN { exit !(r < 1) }' && cheaper=$((cheaper + 1))
done
echo "B over A, throughput per round: ${ratios[*]}; B faster in $wins of $ROUNDS rounds"
echo "B over A, proxy CPU per request per round: ${cpu_ratios[*]}; B cheaper in $cheaper of $ROUNDS rounds"
