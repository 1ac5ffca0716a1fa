# Shared by the load check scripts (sourced, not run).

# Writes to $1 the gateway configuration both scripts measure: three adapters on the backend at port $2. The health
# monitor is off: on a loaded machine its CPU check puts the gateway into DEGRADED mode, whose first_success strategy
# cancels two of every three calls, and the scripts would measure that instead of the fan-out.
write_gateway_yaml() {
  cat > "$1" <<YAML
fault_tolerance:
  health_monitoring:
    enabled: false
  execution:
    timeout: 5s
    max_concurrent_adapters: 500
adapters:
  - name: a
    url: http://127.0.0.1:$2/fast
  - name: b
    url: http://127.0.0.1:$2/fast
  - name: c
    url: http://127.0.0.1:$2/fast
YAML
}

# Makes $work, a new directory /tmp/$1.XXXXXX, and stops every process whose pid the script adds to $pids when it
# exits.
start_work_dir() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  trap stop_started EXIT
}

stop_started() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# Checks for wrk and sets $jar to the gateway jar (built when missing) and $java_opts to LOADCHECK_JAVA_OPTS, by default
# the ./bulwark launcher's -Xmx512m.
need_wrk_and_gateway_jar() {
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
  jar=bulwark-server/target/bulwark-gateway.jar
  [ -f "$jar" ] || mvn -B -ntp -q package -pl bulwark-server -am -DskipTests
  read -r -a java_opts <<< "${LOADCHECK_JAVA_OPTS:--Xmx512m}"
}

# Prints a class path of Jetty's HTTP client (the version of the gateway's Jetty), fetched into ~/.m2 when missing, for
# the bare gateways' jetty client: the gateway jar holds Jetty's server and Netty (its backend client), not Jetty's
# client.
jetty_client_class_path() {
  local version repo=$HOME/.m2/repository/org/eclipse/jetty artifact path=
  version=$(sed -n 's:.*<jetty.version>\(.*\)</jetty.version>.*:\1:p' bulwark-server/pom.xml)
  for artifact in jetty-client jetty-alpn-client; do
    [ -f "$repo/$artifact/$version/$artifact-$version.jar" ] || mvn -B -ntp -q \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dartifact="org.eclipse.jetty:$artifact:$version" >&2
    path=$path$repo/$artifact/$version/$artifact-$version.jar:
  done
  echo "${path%:}"
}

# CPU ticks (utime+stime) of process $1, all its threads
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# CPU ticks of process $1's JIT compiler threads
jit_ticks() {
  local total=0 task
  for task in /proc/"$1"/task/*; do
    grep -q '^C[12] CompilerThre' "$task/comm" 2>/dev/null && total=$((total + $(awk '{print $14 + $15}' "$task/stat")))
  done
  echo "$total"
}
