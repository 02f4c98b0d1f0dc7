# Shared by bin/turnpike and bin/test: find a JDK >= 21 and the project root.
TURNPIKE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# $1 = path to a java binary; prints its feature version, or nothing. The JDK's release file says it without starting
# a JVM (each start is 50-100 ms of every bin/turnpike's start, and pick_jdk may try several); a JDK without one
# (some builds of 8) is asked.
java_major() {
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\)[."].*/\1/p' "$release" | head -n 1)
    if [ "$v" = "1" ]; then v=$(sed -n 's/^JAVA_VERSION="1\.\([0-9]*\).*/\1/p' "$release" | head -n 1); fi
    if [ -n "$v" ]; then echo "$v"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# Sets JAVA_HOME to a JDK >= 21: the current JAVA_HOME or `java` when new enough, else the newest under /usr/lib/jvm;
# JAVA_MAJOR to its feature version.
pick_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ]; then
      v=$(java_major "$candidate/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then export JAVA_HOME="$candidate" JAVA_MAJOR="$v"; return 0; fi
    fi
  done
  local best="" bestv=0
  for candidate in /usr/lib/jvm/*/; do
    candidate="${candidate%/}"
    [ -x "$candidate/bin/javac" ] || continue
    v=$(java_major "$candidate/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$candidate"; bestv="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "turnpike: a JDK 21 or newer is needed; none found (JAVA_HOME, java on PATH, /usr/lib/jvm)." >&2
    echo "turnpike: on Debian: apt-get install openjdk-21-jdk-headless (or any JDK >= 21), then try again." >&2
    return 1
  fi
  export JAVA_HOME="$best" JAVA_MAJOR="$bestv"
}

# The server's JVM options for a small footprint, one a line; $1 = the JDK's feature version (pick_jdk's JAVA_MAJOR).
# Measured in BENCHMARKS.md, "Density" (2026-12-07, branch footprint): C1 only (alone −44 to −60 MiB at full load),
# the serial collector (G1's own structures were 39 MiB) with a young generation of at most 32 MiB (every page of it
# is touched: alone, the serial collector sized it from the default initial heap and saved nothing), an old generation
# that starts small and grows as the live set needs (-Xms32m: the heap kept is what was needed, not 1/64 of the RAM)
# and a cap with room above it (a page's HTML, a screenshot or an rqData answer of several MiB, eight at once, must
# not end the server; measured first with -Xmx128m); together 205/199 → 140 MiB at full load without a class data archive (187 → 174 beside bin/turnpike's),
# the JVM's CPU per solve not higher. Compact object headers are a product flag from JDK 25 (−5 MiB); JDK 21 would
# refuse to start with it.
footprint_jvm_options() {
  printf '%s\n' -XX:+UseSerialGC -Xms32m -Xmx512m -XX:MaxNewSize=32m -XX:TieredStopAtLevel=1
  if [ "$1" -ge 25 ]; then printf '%s\n' -XX:+UseCompactObjectHeaders; fi
}

# Class data sharing for the long-running commands (serve, api, solver, lab) of jar $1, command $2: the first run
# writes the classes it loaded to an archive beside the jar, and later runs map it instead of loading and verifying
# them again (about half of serve's CPU to ready; BENCHMARKS.md, "Density"). Prints the JVM options, one per line;
# none when the jar's directory is not writable. The JDK makes a new archive by itself when the JDK changes, but not
# when the jar does (JDK 25: a jar with a new timestamp only makes it refuse the archive, run after run, and start
# takes half as long again), so an archive older than the jar is removed here first.
class_data_archive_options() {
  local jar="$1" command="$2" archive
  case "$command" in
    serve|api|solver|lab) ;;
    *) return 0 ;;
  esac
  [ -w "$(dirname "$jar")" ] || return 0
  archive="${jar%.jar}-$command.jsa"
  if [ -f "$archive" ] && [ "$archive" -ot "$jar" ]; then rm -f "$archive"; fi
  printf '%s\n' -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off
}

# A training run of jar $1's serve right after a build, so the first serve after it starts as fast as the next ones:
# it starts on a throwaway data directory and port, waits until /health/ready answers 200 (a browser launched and
# connected: the classes of a solve's start are loaded too) or 20 s, and stops; the JVM writes the archive on its way
# out (class_data_archive_options). Without it the first serve after a build took 2.57 s to ready against 1.56 s with
# it, the same as a restart (BENCHMARKS.md, "Density", session 5). Extra arguments go to the JVM before the jar (the
# caller's options: an archive is used only by a JVM started with compatible ones). Quiet; a run that fails leaves no
# archive, and serve then writes it as before.
train_serve_archive() {
  local jar="$1" dir pid url="" i
  shift
  dir=$(mktemp -d "${TMPDIR:-/tmp}/turnpike-train-XXXXXX")
  mapfile -t cds < <(class_data_archive_options "$jar" serve)
  [ "${#cds[@]}" -gt 0 ] || { rm -rf "$dir"; return 0; }
  "$JAVA_HOME/bin/java" "${cds[@]}" "$@" -jar "$jar" serve --data-dir "$dir/data" --http-port 0 >"$dir/log" 2>&1 &
  pid=$!
  for i in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || break
    [ -n "$url" ] || url=$(sed -n 's#^Turnpike is listening on http://\([0-9.]*:[0-9]*\).*#\1#p' "$dir/log" | head -n 1)
    if [ -n "$url" ] && http_status "${url%:*}" "${url##*:}" /health/ready | grep -q '^200$'; then break; fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

# The status code of GET $3 on host $1 port $2, through bash's own /dev/tcp (no curl needed); nothing on failure.
http_status() {
  local line
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$3" "$1" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  line=${line#* }
  printf '%s\n' "${line%% *}"
}

# Chromium from Debian's package; installs it when missing and we may (root, apt-get present).
ensure_chromium() {
  # Xvfb too: the headful mode (browser.display=xvfb) is tested as well.
  if [ -x /usr/lib/chromium/chromium ] && command -v Xvfb >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "turnpike: installing Debian's chromium and xvfb (once)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation xvfb >/dev/null
  else
    echo "turnpike: Chromium or Xvfb is missing: run 'sudo apt-get install -y chromium xvfb'." >&2
    return 1
  fi
}

# 2Captcha's JavaScript SDK for InPhpTurnstileLabTest, from the npm registry at the version its lockfile pins. Without
# node or npm the test is skipped (it says why); a failed install only warns: the rest of the suite still runs.
ensure_twocaptcha_sdk() {
  local dir="$TURNPIKE_HOME/server/src/test/node/twocaptcha-sdk"
  if [ -d "$dir/node_modules/@2captcha/captcha-solver" ]; then return 0; fi
  if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "turnpike: node/npm missing: the 2Captcha SDK run (InPhpTurnstileLabTest) will be skipped." >&2
    return 0
  fi
  echo "turnpike: installing 2Captcha's JavaScript SDK for its test (npm ci, once)..." >&2
  (cd "$dir" && npm ci --no-audit --no-fund --silent) || echo "turnpike: npm ci failed: the SDK run will be skipped." >&2
}

# A PostgreSQL for the store's tests, which never skip. Uses TURNPIKE_TEST_PG_URL when set, else the server on
# 127.0.0.1:5432 when one answers; else starts a throwaway server from Debian's postgresql package (installed when
# missing and we may) in a temporary directory on a free loopback port, exports TURNPIKE_TEST_PG_URL, and sets
# TURNPIKE_PG_TMP so that stop_postgres removes it again.
ensure_postgres() {
  if [ -n "${TURNPIKE_TEST_PG_URL:-}" ]; then return 0; fi
  if pg_answers 127.0.0.1 5432; then return 0; fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "turnpike: installing Debian's postgresql for the store tests (once)..." >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    if [ -z "$bindir" ]; then
      echo "turnpike: the store tests need PostgreSQL: run 'sudo apt-get install -y postgresql', or set TURNPIKE_TEST_PG_URL." >&2
      return 1
    fi
  fi
  local port=55432
  while pg_answers 127.0.0.1 "$port" || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  TURNPIKE_PG_TMP=$(mktemp -d /tmp/turnpike-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$TURNPIKE_PG_TMP"; as=(runuser -u postgres --); fi
  echo "turnpike: starting a throwaway PostgreSQL on 127.0.0.1:$port for the store tests..." >&2
  "${as[@]}" "$bindir/initdb" -D "$TURNPIKE_PG_TMP/data" -U postgres --auth=trust >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$TURNPIKE_PG_TMP/data" -l "$TURNPIKE_PG_TMP/log" -w \
    -o "-p $port -k $TURNPIKE_PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  export TURNPIKE_PG_TMP TURNPIKE_PG_BIN="$bindir"
  export TURNPIKE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
}

pg_answers() { # $1 host, $2 port
  command -v pg_isready >/dev/null && pg_isready -q -h "$1" -p "$2" -t 2
}

# Stops and removes the server ensure_postgres started, if it started one.
stop_postgres() {
  if [ -n "${TURNPIKE_PG_TMP:-}" ] && [ -d "$TURNPIKE_PG_TMP" ]; then
    local as=()
    if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
    "${as[@]}" "$TURNPIKE_PG_BIN/pg_ctl" -D "$TURNPIKE_PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$TURNPIKE_PG_TMP"
  fi
}
