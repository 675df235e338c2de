#!/usr/bin/env bash
# pierdat benchmark, BitTorrent: the agent's bt-core seeder and `pierdat get magnet:` against aria2c on both
# ends, side by side in one run, on 127.0.0.1. See docs/benchmarks.md, section "BitTorrent".
#
#   bench/bt.sh                       # 1 GiB file, 3 repetitions, 10 × 100 MiB for the 10-artifact RSS
#   BENCH_SIZE_MB=32 bench/bt.sh      # quick smoke run
#
# Figures: (1) an aria2c download of the file from the pierdat agent seeding it (in a podman container, as
# bench/agent.sh runs it) vs from an aria2c seeder of the same torrent; (2) `pierdat get magnet:?…&x.pe=<aria2c
# seeder>` (the CLI through its launcher: swarm fetch, sha256, DEST placed, pier.dat written) vs the aria2c →
# aria2c download of figure 1; (3) the agent's RSS seeding 1 artifact and BENCH_MANY artifacts, each after a
# download ran against it.
#
# Knobs (environment):
#   BENCH_SIZE_MB          size of the file of figures 1 and 2, MiB                        (1024)
#   BENCH_REPS             repetitions of figures 1 and 2 (the median is kept)             (3)
#   BENCH_MANY             artifacts of the second RSS figure                              (10)
#   BENCH_MANY_MB          size of each of them, MiB                                       (BENCH_SIZE_MB / 10)
#   BENCH_SETTLE_S         seconds after the last download before the steady RSS is read   (10)
#   BENCH_TIMEOUT_S        a download taking longer fails                                  (900)
#   BENCH_AGENT_JVM_FLAGS  JVM flags of the seeding agent (default: the image entrypoint's)
#   BENCH_CLIENT_JAVA_OPTS PIERDAT_JAVA_OPTS of `pierdat get` (unset: the launcher's defaults)
#   BENCH_WORK_DIR         data, logs, podman store                                         (bench/target/work)
#   BENCH_SKIP_BUILD       1: do not rebuild the agent jar, use pierdat-runtime/target's   (0)
#   BENCH_NO_INSTALL       1: never apt-get install, only print the command                 (0)
# Results: stdout and bench/target/bt-results.md; logs under $BENCH_WORK_DIR/logs/bt-*.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-1024}
REPS=${BENCH_REPS:-3}
MANY=${BENCH_MANY:-10}
SETTLE_S=${BENCH_SETTLE_S:-10}
TIMEOUT_S=${BENCH_TIMEOUT_S:-900}
AGENT_FLAGS=${BENCH_AGENT_JVM_FLAGS:-$AGENT_JVM_FLAGS}
RESULTS=$BENCH_DIR/target/bt-results.md
for knob in SIZE_MB REPS MANY SETTLE_S TIMEOUT_S; do
  [[ ${!knob} =~ ^[1-9][0-9]*$ ]] || die "BENCH_$knob='${!knob}': expected a positive whole number, e.g. BENCH_$knob=3"
done
MANY_MB=${BENCH_MANY_MB:-$(( SIZE_MB / 10 > 0 ? SIZE_MB / 10 : 1 ))}
[[ $MANY_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_MANY_MB='$MANY_MB': expected a positive whole number of MiB, e.g. 100"
[[ $EUID -eq 0 ]] || die "bench/bt.sh runs podman with a private store and reads the agent's /proc entry: run it as root"

mkdir -p "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" "$BENCH_DIR/target"
WORK=$(cd "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" && pwd)
LOGS=$WORK/logs
BT=$WORK/bt
mkdir -p "$LOGS" "$BT"

NEEDS_NGINX=0 ensure_tools podman:podman runc:runc busybox:busybox-static ldd:libc-bin aria2c:aria2 \
  opentracker:opentracker timeout:coreutils
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
clean_env

# ---------------------------------------------------------------- processes started here (stopped by PID)

podman_store "$BT/podman"
BG_PIDS=()
CONTAINERS=()
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
on_exit() {
  local c p
  for c in "${CONTAINERS[@]}"; do pm rm -f -t 5 "$c" >/dev/null 2>&1 || true; done
  for p in "${BG_PIDS[@]}"; do stop_pid "$p"; done
  podman_store_cleanup
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# await_port PORT SECONDS: something listens on 127.0.0.1:PORT
await_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- trackers

# start_tracker NAME: an opentracker on 127.0.0.1 (sets TRACKER_PORT); the Debian build only tracks
# whitelisted infohashes, chroots into its directory and drops to nobody (so the list's path is relative)
declare -A TRACKER_PID=() TRACKER_DIR=()
start_tracker() {
  local name=$1 dir=$BT/tracker-$1 attempt port
  rm -rf "$dir"; mkdir -p "$dir"; : >"$dir/whitelist.txt"
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    opentracker -i 127.0.0.1 -p "$port" -P "$port" -d "$dir" -u nobody -w whitelist.txt \
      >"$LOGS/bt-tracker-$name.log" 2>&1 &
    local pid=$!
    if await_port "$port" 5; then
      BG_PIDS+=("$pid"); TRACKER_PID[$name]=$pid; TRACKER_DIR[$name]=$dir; TRACKER_PORT=$port
      log "opentracker $name on 127.0.0.1:$port (pid $pid)"
      return 0
    fi
    stop_pid "$pid"
  done
  die "opentracker did not come up (log $LOGS/bt-tracker-$name.log)"
}

# allow NAME INFOHASH...: whitelists infohashes and makes the tracker reload its list
allow() {
  local name=$1; shift
  printf '%s\n' "$@" >>"${TRACKER_DIR[$name]}/whitelist.txt"
  kill -HUP "${TRACKER_PID[$name]}"
  sleep 0.3
}

# peers_known PORT INFOHASH: how many peers (seeders + leechers) the tracker on PORT lists for INFOHASH
peers_known() {
  curl -sf "http://127.0.0.1:$1/scrape?info_hash=$(sed 's/../%&/g' <<<"$2")" 2>/dev/null \
    | grep -aoE '(8:complete|10:incomplete)i[0-9]+e' | sed -E 's/.*i([0-9]+)e/\1/' | awk '{s += $1} END {print s + 0}'
}

# await_announced PORT SECONDS INFOHASH...: every infohash has a peer at the tracker
await_announced() {
  local port=$1 secs=$2 ih i; shift 2
  for ih in "$@"; do
    for ((i = 0; ; i++)); do
      (($(peers_known "$port" "$ih") > 0)) && break
      ((i < secs * 10)) || return 1
      sleep 0.1
    done
  done
}

# ---------------------------------------------------------------- agent jar, data, pier.dat, torrents

JAR=$BT/pierdat-agent.jar
stage_agent_jar "$JAR" "$LOGS/bt-build.log"
rm -rf "$BT/bin"; mkdir -p "$BT/bin"
"${CLEAN_ENV[@]}" "$JAVA" -jar "$JAR" install-launcher "$BT/bin" >"$LOGS/bt-launcher.log" 2>&1 \
  || die "install-launcher failed: $(tail -n 1 "$LOGS/bt-launcher.log")"
PIERDAT=$BT/bin/pierdat
CLIENT_ENV=("${CLEAN_ENV[@]}")
[[ -n ${BENCH_CLIENT_JAVA_OPTS+x} ]] && CLIENT_ENV+=(PIERDAT_JAVA_OPTS="$BENCH_CLIENT_JAVA_OPTS")

log "work dir $WORK; file ${SIZE_MB} MiB, $REPS repetitions; RSS with 1 × $SIZE_MB MiB and $MANY × $MANY_MB MiB"
SHA=$(make_blob "$WORK/www/$SIZE_MB" "$SIZE_MB")
BYTES=$((SIZE_MB * 1048576))
MANY_SHAS=()
for ((i = 1; i <= MANY; i++)); do MANY_SHAS+=("$(make_blob "$WORK/www/bt-$MANY_MB-$i" "$MANY_MB")"); done

start_tracker pd;  TRACKER_PD=$TRACKER_PORT    # the agent announces here, figure 1 (a) downloads ask here
start_tracker ref; TRACKER_REF=$TRACKER_PORT   # the aria2c seeder announces here, figure 1 (b) downloads ask here

# make_seed DIR NAME SHA256 BLOB...: DIR/pier.dat and DIR/data/ as `pierdat get file:BLOB DIR/data/NAME`
# writes them (one artifact per BLOB, NAME-i.bin when there are several), and the torrents pierdat makes in
# DIR/torrents-pd and DIR/torrents-ref (same info dictionary, announcing to the one or the other tracker).
# Prints the infohashes, one a line.
make_seed() {
  local dir=$1 name=$2; shift 2
  rm -rf "$dir"; mkdir -p "$dir/data"
  local n=$(($# / 2)) i=1 dest
  while (($#)); do
    dest=$dir/data/$name.bin; ((n > 1)) && dest=$dir/data/$name-$i.bin
    "${CLIENT_ENV[@]}" PIERDAT_CONFIG="$dir/pier.dat" "$PIERDAT" get --sha256 "$1" --cache "$dir/cache" \
      "file:$2" "$dest" >"$LOGS/bt-seed-get.log" 2>&1 \
      || die "pierdat get of the seed file failed: $(tail -n 1 "$LOGS/bt-seed-get.log") (log $LOGS/bt-seed-get.log)"
    shift 2; i=$((i + 1))
  done
  rm -rf "$dir/cache"
  chmod 755 "$dir" "$dir/data"; chmod 644 "$dir/pier.dat"
  "$JAVA" -cp "$JAR" "$BENCH_DIR/BtTorrents.java" "$dir/pier.dat" "$dir/torrents-pd" \
    "http://127.0.0.1:$TRACKER_PD/announce" >"$dir/infohashes" 2>"$LOGS/bt-torrents.log" \
    && "$JAVA" -cp "$JAR" "$BENCH_DIR/BtTorrents.java" "$dir/pier.dat" "$dir/torrents-ref" \
      "http://127.0.0.1:$TRACKER_REF/announce" >/dev/null 2>>"$LOGS/bt-torrents.log" \
    || die "could not write the torrents: $(tail -n 1 "$LOGS/bt-torrents.log") (log $LOGS/bt-torrents.log)"
  cut -d' ' -f1 "$dir/infohashes"
}

log "pier.dat and torrents for 1 × $SIZE_MB MiB and $MANY × $MANY_MB MiB (pierdat get file:…)"
ONE=$BT/one
IH=$(make_seed "$ONE" blob "$SHA" "$WORK/www/$SIZE_MB/blob.bin")
[[ $IH =~ ^[0-9a-f]{40}$ ]] || die "no infohash for the $SIZE_MB MiB file (see above)"
many_args=()
for ((i = 1; i <= MANY; i++)); do many_args+=("${MANY_SHAS[$((i - 1))]}" "$WORK/www/bt-$MANY_MB-$i/blob.bin"); done
MANY_DIR=$BT/many
mapfile -t MANY_IHS < <(make_seed "$MANY_DIR" blob "${many_args[@]}")
((${#MANY_IHS[@]} == MANY)) || die "expected $MANY infohashes, got ${#MANY_IHS[@]}"
allow pd "$IH" "${MANY_IHS[@]}"
allow ref "$IH"
MAGNET=$(tr -d ' \n' <"$ONE/pier.dat" | sed -n 's/.*"backend":"bittorrent","params":{[^}]*"magnet":"\([^"]*\)".*/\1/p')
[[ $MAGNET == magnet:\?xt=urn:btih:$IH* ]] || die "pier.dat has no bittorrent magnet for $IH: $ONE/pier.dat"
grep -aq 'url-list' "$ONE/torrents-pd/$IH.torrent" && die "the torrent has web seeds: downloads would not be peer-only"
log "infohash $IH; $MAGNET"

# ---------------------------------------------------------------- seeders

java_base_tar "$BT/base.tar" "$AGENT_JAVA_MODULES"
BASE_IMAGE=$(pm load -q -i "$BT/base.tar" 2>"$LOGS/bt-load.log" | sed -n 's/^Loaded image[^:]*: *//p' | head -n 1)
[[ -n $BASE_IMAGE ]] || die "podman load gave no image name: $(tail -n 1 "$LOGS/bt-load.log")"

# start_agent NAME SEED_DIR: the agent seeding SEED_DIR's pier.dat in a container as bench/agent.sh runs it
# (runc, --network=host, read-only root, user 1000, the entrypoint's JVM flags), with the jar, pier.dat, data
# and torrents mounted read-only where an image built by the plugin has them. Sets AGENT_PID, AGENT_BT_PORT.
start_agent() {
  local name=pierdat-bench-bt-$1-$$ dir=$2 http_port
  http_port=$(free_port); AGENT_BT_PORT=$(free_port)
  # shellcheck disable=SC2086
  pm run -d --name "$name" --network=host --read-only --user 1000:1000 \
    -e PIERDAT_BIND=127.0.0.1 -e PIERDAT_HTTP_PORT="$http_port" -e PIERDAT_BT_PORT="$AGENT_BT_PORT" -e PIERDAT_LOG=info \
    -v "$JAR:/opt/pierdat/pierdat-agent.jar:ro" -v "$dir/torrents-pd:/opt/pierdat/torrents:ro" \
    -v "$dir/pier.dat:/etc/pier.dat:ro" -v "$dir/data:$dir/data:ro" \
    --entrypoint java "$BASE_IMAGE" $AGENT_FLAGS -jar /opt/pierdat/pierdat-agent.jar run -- \
    >"$LOGS/bt-agent-$1-run.log" 2>&1 || die "cannot start the agent container: $(tail -n 1 "$LOGS/bt-agent-$1-run.log")"
  CONTAINERS+=("$name"); AGENT_NAME=$name
  local i
  for i in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$http_port/healthz" && break; sleep 0.1; done
  await_port "$AGENT_BT_PORT" 10 || die "the agent does not listen for BitTorrent peers: $(pm logs "$name" 2>&1 | tail -n 3)"
  AGENT_PID=$(pm inspect --format '{{.State.Pid}}' "$name")
  grep -q pierdat-agent.jar "/proc/$AGENT_PID/cmdline" || die "PID $AGENT_PID of the container is not the agent"
}

stop_agent() {
  pm logs "$AGENT_NAME" >"$LOGS/bt-agent-$1.log" 2>&1 || true
  pm stop -t 10 "$AGENT_NAME" >/dev/null 2>&1 || true
  pm rm -f "$AGENT_NAME" >/dev/null 2>&1 || true
}

ARIA_NET=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false
  --disable-ipv6=true --interface=127.0.0.1 --summary-interval=0 --console-log-level=notice
  --follow-torrent=false --file-allocation=none --auto-save-interval=0 --allow-overwrite=true)

log "starting the agent (1 artifact) and the aria2c seeder (-V, --seed-ratio=0.0) of the same torrent"
start_agent one "$ONE"
ONE_PID=$AGENT_PID
RSS_IDLE_ONE=$(proc_kib "$ONE_PID" VmRSS)
ARIA_SEED_PORT=$(free_port)
aria2c "${ARIA_NET[@]}" --listen-port="$ARIA_SEED_PORT" --dir="$ONE/data" --check-integrity=true \
  --bt-seed-unverified=false --seed-ratio=0.0 "$ONE/torrents-ref/$IH.torrent" >"$LOGS/bt-aria2c-seeder.log" 2>&1 &
ARIA_SEED_PID=$!; BG_PIDS+=("$ARIA_SEED_PID")
await_port "$ARIA_SEED_PORT" 120 || die "the aria2c seeder does not listen (log $LOGS/bt-aria2c-seeder.log)"
await_announced "$TRACKER_PD" 60 "$IH" || die "the agent did not announce $IH (log: podman logs $AGENT_NAME)"
await_announced "$TRACKER_REF" 60 "$IH" || die "the aria2c seeder did not announce $IH (log $LOGS/bt-aria2c-seeder.log)"
log "agent (pid $ONE_PID, bt port $AGENT_BT_PORT) and aria2c seeder (pid $ARIA_SEED_PID, port $ARIA_SEED_PORT) announced"

# ---------------------------------------------------------------- results store

declare -A VALS=() FAILS=()
record() { VALS[$1]="${VALS[$1]:-} $2"; }
fail() { FAILS[$1]="$2"; }
note_run() { log "$(printf '%-44s %8ss  %s' "$1" "$T_SEC" "${2:-}")"; }

# aria_get LABEL TORRENT...: an aria2c download of the torrents into a fresh directory (timed: T_SEC);
# fails unless every file arrived with its sha256 (checked after the clock stopped)
aria_get() {
  local label=$1; shift
  local dir=$BT/dl/$label
  rm -rf "$dir"; mkdir -p "$dir"
  timed "$LOGS/bt-$label.log" timeout "$TIMEOUT_S" aria2c "${ARIA_NET[@]}" --listen-port="$(free_port)" \
    --dir="$dir" --seed-time=0 --bt-stop-timeout=60 -j "$#" "$@" || return 1
  DL_DIR=$dir
}

# check_file FILE SHA256
check_file() { [[ -f $1 && $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]; }

# seconds of pierdat's own fetch, from its "... from magnet:… in 1.2 s (...)" or "in 850 ms" line
fetch_seconds() {
  sed -n 's/.* from magnet:[^ ]* in \([0-9.]*\) \(m\?s\) .*/\1 \2/p' "$1" | head -n 1 \
    | awk '{ if ($2 == "ms") printf "%.2f\n", $1 / 1000; else printf "%.2f\n", $1 }'
}

run_pd_seed() {   # figure 1 (a): the agent → aria2c
  if aria_get "pdseed-$1" "$ONE/torrents-pd/$IH.torrent" && check_file "$DL_DIR/blob.bin" "$SHA"; then
    record seed.pd "$T_SEC"; note_run "agent seeder → aria2c"
  else
    fail seed.pd "no complete file from the agent (log logs/bt-pdseed-$1.log)"
  fi
  rm -rf "$BT/dl/pdseed-$1"
}

run_ref() {       # figures 1 (b) and 2 (b): aria2c seeder → aria2c
  if aria_get "ref-$1" "$ONE/torrents-ref/$IH.torrent" && check_file "$DL_DIR/blob.bin" "$SHA"; then
    record ref "$T_SEC"; note_run "aria2c seeder → aria2c"
  else
    fail ref "no complete file from the aria2c seeder (log logs/bt-ref-$1.log)"
  fi
  rm -rf "$BT/dl/ref-$1"
}

run_pd_get() {    # figure 2 (a): aria2c seeder → pierdat get
  local run=$BT/dl/pdget-$1 s
  rm -rf "$run"; mkdir -p "$run"
  if timed "$LOGS/bt-pdget-$1.log" timeout "$TIMEOUT_S" "${CLIENT_ENV[@]}" PIERDAT_CONFIG="$run/pier.dat" \
        "$PIERDAT" get --sha256 "$SHA" --cache "$run/cache" "$MAGNET&x.pe=127.0.0.1:$ARIA_SEED_PORT" "$run/blob.bin" \
      && check_file "$run/blob.bin" "$SHA"; then
    # the BitTorrent backend's own line: "bittorrent <infohash> (blob.bin): N bytes in M ms from <peer> (…)"
    s=$(sed -n "s/^bittorrent $IH .* bytes in \([0-9]*\) ms from 127\.0\.0\.1:$ARIA_SEED_PORT .*/\1/p" \
      "$LOGS/bt-pdget-$1.log" | head -n 1)
    if [[ -n $s ]]; then
      record get.pd "$T_SEC"; note_run "aria2c seeder → pierdat get magnet:"
      record getswarm.pd "$(awk -v ms="$s" 'BEGIN { printf "%.2f\n", ms / 1000 }')"
      s=$(fetch_seconds "$LOGS/bt-pdget-$1.log"); [[ -n $s ]] && record getfetch.pd "$s"
    else
      fail get.pd "no line of the BitTorrent backend fetching from the aria2c seeder (log logs/bt-pdget-$1.log)"
    fi
  else
    fail get.pd "$(tail -n 1 "$LOGS/bt-pdget-$1.log" | cut -c1-160) (log logs/bt-pdget-$1.log)"
  fi
  rm -rf "$run"
}

# ---------------------------------------------------------------- 1, 2: downloads, the sides interleaved

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo 0 >"$BT/rss-one.max"
sample_rss "$ONE_PID" "$BT/rss-one.max" & SAMPLER=$!; BG_PIDS+=("$SAMPLER")
for rep in $(seq 1 "$REPS"); do
  log "repetition $rep/$REPS"
  # the order turns every repetition, so that neither side always runs first (warm caches, noise)
  if ((rep % 2)); then run_pd_seed "$rep"; run_ref "$rep"; run_pd_get "$rep"
  else run_pd_get "$rep"; run_ref "$rep"; run_pd_seed "$rep"; fi
done
stop_pid "$SAMPLER"
log "waiting ${SETTLE_S} s for the agent's steady RSS"
sleep "$SETTLE_S"
record rsspeak.one "$(cat "$BT/rss-one.max")"
record hwm.one "$(proc_kib "$ONE_PID" VmHWM)"
record steady.one "$(proc_kib "$ONE_PID" VmRSS)"
stop_agent one
stop_pid "$ARIA_SEED_PID"

# ---------------------------------------------------------------- 3: the agent with BENCH_MANY artifacts

log "agent with $MANY artifacts of $MANY_MB MiB: one aria2c downloads all of them"
start_agent many "$MANY_DIR"
MANY_PID=$AGENT_PID
RSS_IDLE_MANY=$(proc_kib "$MANY_PID" VmRSS)
await_announced "$TRACKER_PD" 60 "${MANY_IHS[@]}" || die "the agent did not announce all $MANY torrents (log: podman logs $AGENT_NAME)"
echo 0 >"$BT/rss-many.max"
sample_rss "$MANY_PID" "$BT/rss-many.max" & SAMPLER=$!; BG_PIDS+=("$SAMPLER")
torrents=(); for ih in "${MANY_IHS[@]}"; do torrents+=("$MANY_DIR/torrents-pd/$ih.torrent"); done
if aria_get many "${torrents[@]}"; then
  ok=1
  for ((i = 1; i <= MANY; i++)); do check_file "$DL_DIR/blob-$i.bin" "${MANY_SHAS[$((i - 1))]}" || ok=0; done
  if ((ok)); then record many.pd "$T_SEC"; note_run "agent seeder ($MANY torrents) → aria2c"
  else fail many.pd "files missing or with a wrong sha256 in $DL_DIR (log logs/bt-many.log)"; fi
else
  fail many.pd "aria2c failed (log logs/bt-many.log)"
fi
rm -rf "$BT/dl/many"
stop_pid "$SAMPLER"
sleep "$SETTLE_S"
record rsspeak.many "$(cat "$BT/rss-many.max")"
record hwm.many "$(proc_kib "$MANY_PID" VmHWM)"
record steady.many "$(proc_kib "$MANY_PID" VmRSS)"
stop_agent many

# ---------------------------------------------------------------- report

med() {
  # shellcheck disable=SC2086
  local m; m=$(median ${VALS[$1]:-})
  [[ ($1 == rss* || $1 == hwm* || $1 == steady*) && -n $m ]] && m=$(kib_to_mib "$m")
  echo "$m"
}
# MiB/s of MIB over the median seconds of KEY, or why there is none
mibps() {
  if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"
  elif [[ -n ${VALS[$1]:-} ]]; then awk -v s="$(med "$1")" -v m="$2" 'BEGIN { if (s > 0) printf "%.1f\n", m / s }'
  else echo "—"; fi
}
cell() {
  if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"
  elif [[ -n ${VALS[$1]:-} ]]; then med "$1"
  else echo "—"; fi
}
at_least() {
  [[ -n ${1:-} ]] || { echo "—"; return; }
  awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }'
}
# throughput_row NUM FIGURE PD-KEY: pierdat vs the aria2c → aria2c reference, ratio of throughputs
throughput_row() {
  local r="" v
  [[ -z ${FAILS[$3]:-} && -z ${FAILS[ref]:-} ]] && r=$(ratio "$(med ref)" "$(med "$3")")
  v=$(at_least "$r" 0.90); [[ -n ${FAILS[$3]:-} ]] && v=FAIL
  echo "| $1 | $2 | $(mibps "$3" "$SIZE_MB") | $(mibps ref "$SIZE_MB") | ${r:-—} | ≥ 0.90× | $v |"
}

JDK=$("$JAVA" -version 2>&1 | head -n 1)
CPU=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
RAM_GIB=$(awk '/MemTotal/ { printf "%.1f", $2/1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
SZ="$SIZE_MB MiB"
growth=$(ratio "$(med steady.many)" "$(med steady.one)")
{
  echo "### BitTorrent results $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT)"
  echo
  echo "Machine: $(nproc) CPUs ($CPU), $RAM_GIB GiB RAM, $(uname -sr); $JDK; $(aria2c --version | head -n 1);"
  echo "$(pm --version) with runc, storage $PODMAN_DRIVER, --network=host; two opentrackers on 127.0.0.1 (one per seeder)."
  echo "Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "File: $SZ of random bytes; torrent: pierdat's (infohash $IH, no web seeds), the same info dictionary for both"
  echo "seeders, each announcing to its own tracker. Agent: in a container (--read-only --user 1000:1000), JVM flags \`$AGENT_FLAGS\`."
  echo "\`pierdat get\`: the launcher, PIERDAT_JAVA_OPTS ${BENCH_CLIENT_JAVA_OPTS+\`$BENCH_CLIENT_JAVA_OPTS\`}${BENCH_CLIENT_JAVA_OPTS-unset (launcher defaults)}."
  echo "Downloads: aria2c (no DHT/LPD/PEX) into a fresh directory; median of $REPS runs, the sides interleaved."
  echo
  echo "| # | figure | pierdat | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  throughput_row 1 "aria2c downloads $SZ (MiB/s): from the pierdat agent vs from an aria2c seeder (\`-V --seed-ratio=0.0\`)" seed.pd
  throughput_row 2 "$SZ into pierdat from the aria2c seeder (MiB/s): \`pierdat get magnet:…&x.pe=…\` (JVM start, swarm, sha256, DEST placed) vs aria2c → aria2c" get.pd
  echo "| 2a | pierdat's fetch alone, from its log (MiB/s): swarm, then the file streamed into its cache (sha256, seed specs) | $(mibps getfetch.pd "$SIZE_MB") | $(mibps ref "$SIZE_MB") | $(ratio "$(med ref)" "$(med getfetch.pd)") | info | — |"
  echo "| 2b | the swarm alone (bt-core's download into a staging file, pieces verified), from its log (MiB/s) | $(mibps getswarm.pd "$SIZE_MB") | $(mibps ref "$SIZE_MB") | $(ratio "$(med ref)" "$(med getswarm.pd)") | info | — |"
  echo "| 3 | agent RSS seeding 1 × $SZ (MiB): idle before any download / peak sampled every 0.1 s during the downloads / VmHWM / steady ${SETTLE_S} s after | $(kib_to_mib "$RSS_IDLE_ONE") / $(cell rsspeak.one) / $(cell hwm.one) / $(cell steady.one) | — | — | info | — |"
  echo "| 3a | agent RSS seeding $MANY × $MANY_MB MiB (MiB), after one aria2c downloaded all $MANY: same four | $(kib_to_mib "$RSS_IDLE_MANY") / $(cell rsspeak.many) / $(cell hwm.many) / $(cell steady.many) | — | ${growth:-—} (steady, $MANY / 1) | info | — |"
  echo "| 3b | that download of $MANY × $MANY_MB MiB from the agent (MiB/s) | $(mibps many.pd $((MANY * MANY_MB))) | — | — | info | — |"
  echo
  echo "All runs (s, or KiB for RSS; run order):"
  echo
  echo "| key | values |"
  echo "|---|---|"
  for k in seed.pd ref get.pd getfetch.pd getswarm.pd many.pd rsspeak.one hwm.one steady.one rsspeak.many hwm.many steady.many; do
    [[ -n ${VALS[$k]:-} ]] && echo "| $k |${VALS[$k]} |"
  done
  echo
} | tee "$RESULTS"
log "results written to $RESULTS; logs in $LOGS/bt-*"
