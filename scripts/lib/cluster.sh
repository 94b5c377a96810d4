# A throwaway local Redis Cluster for the benchmarks: N masters (no replicas) on free loopback
# ports, each with its cluster bus port (port + 10000) free too. Source after setup.sh.

# Prints a port P with P and P + 10000 both free on 127.0.0.1.
herald_free_cluster_port() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randint(20000, 45000)
    sockets = []
    try:
        for p in (port, port + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", p)); sockets.append(s)
        print(port); break
    except OSError:
        pass
    finally:
        for s in sockets: s.close()
PY
}

# herald_start_cluster_node DIR PORT [NODE_TIMEOUT_MS]: starts (or restarts, with its nodes.conf)
# one cluster node whose data lives in DIR/node-PORT; HERALD_CLUSTER_NODE_ARGS adds options.
herald_start_cluster_node() {
  local dir="$1" port="$2" timeout="${3:-5000}"
  mkdir -p "$dir/node-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/node-$port" --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout "$timeout" --save "" --appendonly no \
    --pidfile "$dir/node-$port/redis.pid" --logfile "$dir/node-$port/redis.log" --daemonize yes \
    ${HERALD_CLUSTER_NODE_ARGS:-}
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not answer on $port (see $dir/node-$port/redis.log)" >&2
  return 1
}

# herald_start_cluster DIR MASTERS [REPLICAS_PER_MASTER] [NODE_TIMEOUT_MS]: starts the nodes in
# DIR and joins them; sets herald_cluster_ports (array), herald_cluster_urls (REDIS_CLUSTER_URLS
# form) and herald_cluster_node_timeout.
herald_start_cluster() {
  local dir="$1" masters="$2" replicas="${3:-0}" port i
  herald_cluster_node_timeout="${4:-5000}"
  herald_cluster_ports=()
  for i in $(seq $((masters * (1 + replicas)))); do
    port="$(herald_free_cluster_port)"
    herald_start_cluster_node "$dir" "$port" "$herald_cluster_node_timeout"
    herald_cluster_ports+=("$port")
  done
  local nodes=()
  for port in "${herald_cluster_ports[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$replicas" --cluster-yes >"$dir/cluster-create.log" 2>&1
  for port in "${herald_cluster_ports[@]}"; do
    for _ in $(seq 100); do
      redis-cli -p "$port" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok' && break
      sleep 0.1
    done
  done
  herald_cluster_urls="$(printf 'redis://127.0.0.1:%s,' "${herald_cluster_ports[@]}")"
  herald_cluster_urls="${herald_cluster_urls%,}"
}

# herald_cluster_master_of KEY: the port of the master serving KEY's slot now.
herald_cluster_master_of() {
  local slot port found
  slot="$(redis-cli -p "${herald_cluster_ports[0]}" cluster keyslot "$1")"
  for port in "${herald_cluster_ports[@]}"; do
    found="$(redis-cli -p "$port" cluster nodes 2>/dev/null | awk -v s="$slot" '
      $3 ~ /master/ && $3 !~ /fail/ && $8 == "connected" {
        for (i = 9; i <= NF; i++) { if ($i ~ /^\[/) continue; n = split($i, r, "-"); lo = r[1] + 0; hi = (n > 1 ? r[2] : r[1]) + 0;
          if (s >= lo && s <= hi) { split($2, a, "[:@]"); print a[2]; exit } } }')"
    [ -n "$found" ] && { echo "$found"; return 0; }
  done
  return 1
}

# herald_cluster_replica_of PORT: the port of a replica of the master on PORT.
herald_cluster_replica_of() {
  local id
  id="$(redis-cli -p "$1" cluster myid | tr -d '\r')"
  redis-cli -p "$1" cluster nodes | awk -v m="$id" '$4 == m && $3 ~ /slave/ { split($2, a, "[:@]"); print a[2]; exit }'
}

# Stops every node started by herald_start_cluster.
herald_stop_cluster() {
  local port
  for port in "${herald_cluster_ports[@]:-}"; do
    [ -n "$port" ] && redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
}
