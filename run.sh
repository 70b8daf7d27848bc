#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh app    install the Python packages (into .venv) and start the app on the demo data
#   ./run.sh test   install what the tests need (chromium, CJK fonts, PostgreSQL with PostGIS, nginx,
#                   packages) and run them all
# and the multi-server set-up on loopback (docs/deploy.md):
#   ./run.sh cluster [start|status|stop]   PostgreSQL with PostGIS, two app processes, nginx
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

venv() {
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
    fi
    # pip's own chatter goes to a log; it is shown only when the install fails
    if ! .venv/bin/python -m pip install -q -r "$1" >.venv/pip.log 2>&1; then
        tail -n 40 .venv/pip.log >&2
        exit 1
    fi
}

# Debian packages of the multi-server set-up, when missing
server_packages() {
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql postgresql-postgis)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
}

case "${1:-}" in
    app)
        venv requirements.txt
        shift
        exec .venv/bin/python -m streamlit run serve.py "$@"
        ;;
    test)
        need=()
        command -v chromium >/dev/null || need+=(chromium)
        fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
        fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || need+=(fonts-noto-color-emoji)
        command -v node >/dev/null || need+=(nodejs)  # runs the map's decoder in tests/test_fastlayer_js.py
        server_packages
        if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
        venv tests/requirements.txt
        shift
        # two workers (one test file each at a time): most tests wait on a browser, a server or a database,
        # so the suite takes about half as long on two cores; the slowest tests are listed at the end
        exec .venv/bin/python -m pytest -q -n 2 --dist loadfile --durations=12 "$@"
        ;;
    cluster)
        need=()
        server_packages
        if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi
        venv requirements.txt
        shift
        exec deploy/cluster.sh "$@"
        ;;
    *)
        echo "usage: ./run.sh app | test | cluster [start|status|stop]" >&2
        exit 2
        ;;
esac
