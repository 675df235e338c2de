# Helpers for bench/run.sh and bench/agent.sh (sourced, not run). Progress goes to stderr; stdout is kept for the results table.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools

# ensure_tools [COMMAND:PACKAGE...]: installs (as root with apt-get) or names the exact command for whatever
# is missing of nginx (unless NEEDS_NGINX=0), curl, GNU time, coreutils, a JDK, and the extra commands given.
ensure_tools() {
  local missing=() extra
  for extra in "$@"; do
    command -v "${extra%%:*}" >/dev/null 2>&1 || missing+=("${extra#*:}")
  done
  # NEEDS_NGINX=0: a benchmark without nginx (bench/ipfs.sh)
  [[ ${NEEDS_NGINX:-1} == 0 ]] || command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 || missing+=(time)
  for tool in sha256sum head sort stat df nproc; do
    command -v "$tool" >/dev/null 2>&1 || { missing+=(coreutils); break; }
  done
  if ((${#missing[@]})); then
    local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ ${BENCH_NO_INSTALL:-0} != 1 ]]; then
      log "installing missing tools: ${missing[*]}"
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2 || die "could not install; run: $cmd"
    else
      die "missing tools: ${missing[*]}. Install them with: sudo $cmd"
    fi
  fi
  command -v javac >/dev/null 2>&1 || [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/javac ]] \
    || die "a JDK 17+ is needed (javac not found). Install one with: sudo apt-get install -y openjdk-17-jdk-headless"
  NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
}

# ---------------------------------------------------------------- numbers

# median of the arguments (mean of the two middle values for an even count); empty if none
median() {
  (($#)) || { echo ""; return; }
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
    if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'
}

# ratio a/b with two decimals; empty when either is missing
ratio() {
  [[ -n ${1:-} && -n ${2:-} ]] || { echo ""; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a/b }'
}

# PASS/FAIL for "ratio <= target"; "—" without a ratio
verdict() {
  [[ -n ${1:-} ]] || { echo "—"; return; }
  awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "PASS" : "FAIL" }'
}

kib_to_mib() { [[ -n ${1:-} ]] && awk -v k="$1" 'BEGIN { printf "%.0f\n", k/1024 }' || echo ""; }

# ---------------------------------------------------------------- timing

# timed LOG CMD...: runs CMD with stdout+stderr into LOG under GNU time; sets T_SEC (wall seconds) and
# T_RSS_KIB (peak RSS of the largest process in the tree: the JVM for Maven). Returns CMD's exit code.
timed() {
  local logfile=$1; shift
  local tf; tf=$(mktemp "$WORK/time.XXXXXX")
  local rc=0
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$logfile" 2>&1 || rc=$?
  # GNU time puts "Command exited with non-zero status N" before the format line: read the last line
  read -r T_SEC T_RSS_KIB < <(tail -n 1 "$tf")
  rm -f "$tf"
  return "$rc"
}

# first error line of a Maven log, for the report
first_error() {
  local line
  line=$(grep -m1 -E '^\[ERROR\] .+' "$1" | sed -e 's/^\[ERROR\] //' -e 's/ -> \[Help 1\]$//' | cut -c1-160) || true
  [[ -n $line ]] || line=$(grep -v '^\s*$' "$1" | tail -n 1 | cut -c1-160) || true
  printf '%s' "${line//|/\\|}"   # keep Markdown table cells intact
}

# ---------------------------------------------------------------- data

# make_blob DIR SIZE_MIB: DIR/blob.bin of SIZE_MIB incompressible bytes, reused when already complete.
# Prints its sha256. Written to a temp name and renamed, so an interrupted run never leaves a short file.
make_blob() {
  local dir=$1 mib=$2 file=$1/blob.bin sums=$WORK/sums/$(basename "$1").sha256
  mkdir -p "$dir" "$WORK/sums"
  local want=$((mib * 1048576))
  if [[ -f $file && -f $sums && $(stat -c %s "$file") -eq $want && $sums -nt $file ]]; then
    cut -d' ' -f1 "$sums"; return
  fi
  log "generating $mib MiB of random data in $file"
  rm -f "$file" "$sums"
  head -c "$want" /dev/urandom >"$file.tmp"
  mv "$file.tmp" "$file"
  sha256sum "$file" | cut -d' ' -f1 >"$sums.tmp" && mv "$sums.tmp" "$sums"
  cut -d' ' -f1 "$sums"
}

# ---------------------------------------------------------------- nginx

# free_port: a port on 127.0.0.1 where nothing listens right now (random in 20000-59999)
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

NGINX_PID=""

# start_nginx ROOT: serves ROOT on 127.0.0.1:<free port> (sets NGINX_PORT), foreground process in the
# background so it can be stopped by PID. Retries another port if the chosen one is taken.
start_nginx() {
  local root=$1 prefix=$WORK/nginx attempt port
  mkdir -p "$prefix/logs" "$prefix/tmp"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(free_port)
    local user_line=""
    # As root nginx would drop its workers to "nobody", who may not be able to read the work dir.
    [[ $EUID -eq 0 ]] && user_line="user $(id -un) $(id -gn);"
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" -e "s|@USER_LINE@|$user_line|g" \
      "$BENCH_DIR/nginx.conf.in" >"$prefix/nginx.conf"
    "$NGINX_BIN" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" \
      >"$prefix/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    local i
    for i in $(seq 1 50); do
      if ! kill -0 "$NGINX_PID" 2>/dev/null; then break; fi
      if curl -sf -o /dev/null "http://127.0.0.1:$port/smoke/blob.bin"; then
        NGINX_PORT=$port
        log "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*\///') serving $root on 127.0.0.1:$port (pid $NGINX_PID)"
        return 0
      fi
      sleep 0.1
    done
    stop_nginx
    log "nginx did not come up on port $port (attempt $attempt): $(tail -n 1 "$prefix/logs/error.log" 2>/dev/null)"
  done
  die "could not start nginx; see $prefix/logs/error.log"
}

stop_nginx() {
  if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  NGINX_PID=""
}

# ---------------------------------------------------------------- Maven

# setup_maven: PIERDAT_VERSION, and the Maven command lines every run uses: MVN (may go online, for
# preparation) and MVN_HERMETIC (timed runs, no network), plus NETWORK_NOTE for the report.
# Needs ROOT, WORK, M2_HEAD, M2_TAIL.
setup_maven() {
  PIERDAT_VERSION=$(sed -n '/<artifactId>pierdat-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$ROOT/pom.xml")
  [[ -n $PIERDAT_VERSION ]] || die "could not read the project version from $ROOT/pom.xml"

  # Every Maven run: the project's wrapper, a private local repository (the staged plugin goes there; the
  # user's repository is only read, as a tail), Jib's update check off.
  MVN=("$ROOT/mvnw" -B -ntp -Dmaven.repo.local="$M2_HEAD" -Djib.disableUpdateChecks=true -Djib.console=plain)
  [[ -d $M2_TAIL ]] && MVN+=(-Dmaven.repo.local.tail="$M2_TAIL")

  # Timed runs cannot use -o: pierdat reads offline mode as "fetch from the cache only". Both sides instead
  # run with settings whose only mirror is an empty local directory, so no run touches the network. The
  # mirror is called "central" because the local repository only offers an artifact to the repository id it
  # was downloaded from (Central, for a default setup).
  cat >"$WORK/settings-hermetic.xml" <<EOF
<settings>
  <mirrors>
    <mirror><id>central</id><mirrorOf>*</mirrorOf><url>file://$WORK/no-remote</url></mirror>
  </mirrors>
</settings>
EOF
  MVN_HERMETIC=("${MVN[@]}" -s "$WORK/settings-hermetic.xml" -nsu)
  NETWORK_NOTE="Maven runs: no network (a settings mirror pointing at an empty local directory)."
}

# Fallback when the user's settings download through another repository id (e.g. a company mirror):
# timed runs then use those settings with -nsu, which touch the network only for artifacts not yet local.
use_user_settings_for_timed_runs() {
  log "hermetic settings cannot see the resolved artifacts (other repository id?): timed runs use your settings with -nsu"
  MVN_HERMETIC=("${MVN[@]}" -nsu)
  NETWORK_NOTE="Maven runs: your settings with -nsu (all artifacts were resolved before timing)."
}

# stage_plugin: builds pierdat-maven-plugin into the bench's own local repository (offline first, online only
# if something is missing); log in $LOGS/build-plugin.log. Returns non-zero if the build failed.
stage_plugin() {
  log "building pierdat-maven-plugin $PIERDAT_VERSION with ./mvnw into the bench's own local repository"
  MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "${MVN[@]}" -o -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-maven-plugin -am install \
    >"$LOGS/build-plugin.log" 2>&1 && return 0
  MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "${MVN[@]}" -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-maven-plugin -am install \
    >"$LOGS/build-plugin.log" 2>&1
}

# fresh_run DIR: empty per-run dir (caches, java.io.tmpdir, XDG cache): what "cold" means for both sides
fresh_run() { rm -rf "$1"; mkdir -p "$1/tmp" "$1/xdg-cache"; }

# maven_env RUNDIR: identical JVM options and environment for both sides (into the array MENV);
# EXTRA_OPTS (set only for the memory check) is appended to MAVEN_OPTS
EXTRA_OPTS=""
maven_env() {
  MENV=(MAVEN_OPTS="${BENCH_MAVEN_OPTS:-} $EXTRA_OPTS -Djava.io.tmpdir=$1/tmp" XDG_CACHE_HOME="$1/xdg-cache"
    XDG_CONFIG_HOME="$WORK/xdg-config")
}

# pierdat_run LABEL RUNDIR SIZEDIR SHA256 MVN-ARRAY-NAME GOALS...: pierdat sample, everything in RUNDIR
pierdat_run() {
  local label=$1 run=$2 sizedir=$3 sha=$4; local -n mvn=$5; shift 5
  maven_env "$run"
  timed "$LOGS/$label.log" env "${MENV[@]}" "${mvn[@]}" \
    -f "$BENCH_DIR/projects/pierdat-sample/pom.xml" -Dpierdat.version="$PIERDAT_VERSION" \
    -Dbench.port="$NGINX_PORT" -Dbench.sizeDir="$sizedir" -Dbench.sha256="$sha" \
    -Dbench.buildDir="$run/target" -Dpierdat.cacheDirectory="$run/cache" \
    -Djib.applicationCache="$run/jib-app" -Djib.baseImageCache="$run/jib-base" "$@"
}

# tar_holds TAR MIB: the image tar exists and is at least as large as the (incompressible) file in it
tar_holds() { [[ -f $1 ]] && (($(stat -c %s "$1") >= $2 * 1048576)); }

