# Shared by the benchmark scripts: CPU accounting per process and per server instance.
# Source it; it defines functions only.

TICKS_PER_SECOND="$(getconf CLK_TCK)"

# CPU ticks (user + system) of one process.
cpu_ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The pid of the process listening on TCP port $1 on this machine.
listener_pid() { ss -Hltnp "sport = :$1" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -n 1; }

# CPU ticks of the server listening on port $1 and of all its children: one PostgreSQL instance
# (postmaster and backends) or one RabbitMQ node, not the other instances on the machine. The
# children that have exited count too: their parent has reaped them (cutime and cstime).
instance_ticks() {
    local root; root="$(listener_pid "$1")"
    [ -n "$root" ] || { echo 0; return; }
    local total pid
    total="$(awk '{ print $16 + $17 }' "/proc/$root/stat" 2>/dev/null || echo 0)"
    for pid in "$root" $(ps -o pid= --ppid "$root"); do
        total=$((total + $(cpu_ticks_of "$pid")))
    done
    echo "$total"
}

# CPU ticks of every server instance listening on the ports given (a cluster's nodes).
instances_ticks() { local total=0 port; for port in "$@"; do total=$((total + $(instance_ticks "$port"))); done; echo "$total"; }

# The ports of every host of a connection string: Npgsql's Host=a:1,b:2;Port=3 form, or amqp:// URIs separated by commas.
pg_ports() {
    local default; default="$(grep -oE 'Port=[0-9]+' <<<"$1" | head -n 1 | cut -d= -f2)"
    grep -oE 'Host=[^;]+' <<<"$1" | cut -d= -f2 | tr ',' '\n' | awk -F: -v d="${default:-5432}" '{ print ($2 == "" ? d : $2) }'
}
amqp_ports() { tr ',' '\n' <<<"$1" | sed -nE 's|.*@?[^/:@]+:([0-9]+)/?.*|\1|p'; }

# Microseconds of CPU per item: ticks, items.
us_per() { awk -v t="$1" -v n="$2" -v hz="$TICKS_PER_SECOND" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }'; }
