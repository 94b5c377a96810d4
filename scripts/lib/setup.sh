# Shared set-up for scripts/demo, scripts/test and scripts/bench: installs what a fresh Debian 12
# machine with Swift lacks. Sourced, not run.

herald_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

herald_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian packages Herald needs, running apt-get update first, only when one is missing.
herald_ensure_packages() {
  local wanted=(redis-server redis-tools libhiredis-dev libcurl4-openssl-dev libssl-dev libmicrohttpd-dev zlib1g-dev pkg-config python3 python3-venv openssl tzdata "$@")
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  # python3 may come from elsewhere (pyenv); then only its venv module matters.
  if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
    missing=("${missing[@]/python3}")
  fi
  local filtered=()
  for package in "${missing[@]}"; do [ -n "$package" ] && filtered+=("$package"); done
  if [ ${#filtered[@]} -gt 0 ]; then
    herald_log "installing ${filtered[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
  fi
  # The distribution's redis-server unit may have started on 6379; Herald starts its own servers.
  command -v swift >/dev/null || { echo "swift is not on PATH; install Swift 6 first (https://swift.org/install)" >&2; exit 1; }
}

# The test suite's extra packages: headless Chromium and CJK fonts for the preference page's
# browser test (its screenshots show the Japanese page).
herald_ensure_test_packages() {
  herald_ensure_packages chromium fonts-noto-cjk
}

# A Python virtual environment with the test peers (SMTP server, webhook verifier …).
herald_ensure_python() {
  local venv="$herald_root/.herald/venv"
  if [ ! -x "$venv/bin/python" ]; then
    herald_log "creating $venv"
    python3 -m venv "$venv"
  fi
  local stamp="$venv/.requirements"
  if ! cmp -s "$herald_root/scripts/requirements-test.txt" "$stamp" 2>/dev/null; then
    herald_log "installing Python test peers"
    "$venv/bin/pip" install -q -r "$herald_root/scripts/requirements-test.txt"
    cp "$herald_root/scripts/requirements-test.txt" "$stamp"
  fi
  export HERALD_TEST_PYTHON="$venv/bin/python"
  # Test peers are started as `python3 …`; the venv comes first so they find their packages.
  export PATH="$venv/bin:$PATH"
}

# promtool, from Debian's prometheus package, unpacked into .herald/prometheus (the server is not
# installed and no maintainer script runs): the tests check every process's /metrics output, the
# compose profile's alert rules and Prometheus configuration with it.
herald_ensure_promtool() {
  local dir="$herald_root/.herald/prometheus"
  if [ ! -x "$dir/usr/bin/promtool" ]; then
    herald_log "unpacking promtool from Debian's prometheus package"
    local tmp sudo=""
    tmp="$(mktemp -d)"
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if ! (cd "$tmp" && apt-get download -qq prometheus 2>/dev/null); then
      $sudo apt-get update -qq
      (cd "$tmp" && apt-get download -qq prometheus)
    fi
    mkdir -p "$dir"
    dpkg-deb -x "$tmp"/prometheus_*.deb "$dir"
    rm -rf "$tmp"
  fi
  export HERALD_PROMTOOL="$dir/usr/bin/promtool"
}

# Prints a free loopback TCP port.
herald_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
