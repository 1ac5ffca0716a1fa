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
