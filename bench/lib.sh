# What bench/run.sh and bench/ab.sh share: processes they started, free ports, waiting, and many instances
# through the admin API at once. Sourced, not run; needs curl and jq. The sourcing script defines log, WORK
# and STARTED_PIDS.

# Stops every process the script started and removes its work directory; the script traps EXIT with it.
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# A port on 127.0.0.1 that nothing listens on now.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { log "gave up waiting for $what"; return 1; }
    sleep 0.2
  done
}

# An allowlist of 100 hosts with bench.test and its subdomains last, so that matching walks all of them.
POLICY_CHAIN_JQ='{chain: [{plugin: "allowlist", config: {hosts:
  ([range(0; 98) as $i | "allowed-\($i)-\($n).example"] + ["bench.test", "*.bench.test"])}}]}'
policy_chain() { jq -nc --arg n "$1" "$POLICY_CHAIN_JQ"; }

# A curl config that sends METHOD for every $parts-th instance from $part on, one request after another on one
# connection; PUT carries the instance's 100-rule chain.
CURL_CONFIG_JQ='def chain($n): '"$POLICY_CHAIN_JQ"';
  [range(1; $count) | select(. % $parts == $part) | tostring as $n
   | "url = \("http://127.0.0.1:\($port)/v1/instances/sandbox-\($n)" | @json)",
     "request = \($method | @json)",
     "header = \("Authorization: Bearer \($token)" | @json)",
     "header = \"Content-Type: application/json\"",
     (if $method == "PUT" then "data = \(chain($n) | tojson | @json)" else empty end),
     "output = \"/dev/null\"",
     "write-out = \"%{http_code}\\n\"",
     "silent",
     "next"] | .[:-1] | .[]'

# for_instances ADMIN_PORT TOKEN COUNT METHOD EXPECTED DIR: sends METHOD for sandbox-1 .. sandbox-(COUNT-1) and
# prints how many answered a status matching EXPECTED (a grep -E alternation such as '200|201'). Four curls,
# each reusing one connection for its share: a process per request took minutes. DIR keeps their files.
for_instances() {
  local port="$1" token="$2" count="$3" method="$4" expected="$5" dir="$6" part pids=()
  for part in 0 1 2 3; do
    jq -nr --arg method "$method" --argjson count "$count" --argjson part "$part" --argjson parts 4 \
      --arg port "$port" --arg token "$token" "$CURL_CONFIG_JQ" > "$dir/instances-$part.curl"
    curl -K "$dir/instances-$part.curl" > "$dir/instances-$part.codes" 2>> "$dir/instances.log" &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  cat "$dir"/instances-*.codes | grep -cE "^($expected)\$" || true
}
