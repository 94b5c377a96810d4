#!/bin/sh
# Creates each missing secret file from its .example so `docker compose up` works for a local demo,
# a random unsubscribe signing key (senders refuse to start without one; there is no default), a
# random Segment write key, tracked-link key and feedback-webhook secret for herald-edge and a
# random Grafana admin password.
#
# Compose bind-mounts file secrets with their host owner and mode (it cannot change them), and the
# image runs as uid 10001 (Grafana as 472): so the files are made readable by any user (0644) and
# this directory is closed to everyone but its owner (0700), which keeps other users of the host
# out. Run it again after adding a file; it fixes the modes of the files already here.
set -eu
cd "$(dirname "$0")"
umask 077
random() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 32
    else
        od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
    fi
}
if [ ! -e unsubscribe_secret ]; then
    random > unsubscribe_secret
    echo "created docker/secrets/unsubscribe_secret (a random key)"
fi
if [ ! -e edge_write_keys ]; then
    echo "wk_$(random)" > edge_write_keys
    echo "created docker/secrets/edge_write_keys (a random Segment write key)"
fi
if [ ! -e edge_link_secret ]; then
    random > edge_link_secret
    echo "created docker/secrets/edge_link_secret (a random tracked-link key)"
fi
if [ ! -e edge_feedback_secret ]; then
    if command -v openssl >/dev/null 2>&1; then
        echo "whsec_$(openssl rand -base64 32)" > edge_feedback_secret
    else
        echo "whsec_$(head -c 32 /dev/urandom | base64)" > edge_feedback_secret
    fi
    echo "created docker/secrets/edge_feedback_secret (a random Standard Webhooks secret for your email provider)"
fi
if [ ! -e grafana_admin_password ]; then
    random > grafana_admin_password
    echo "created docker/secrets/grafana_admin_password (a random password)"
fi
for example in *.example; do
    target="${example%.example}"
    if [ ! -e "$target" ]; then
        cp "$example" "$target"
        echo "created docker/secrets/$target from $example"
    fi
done
chmod 0700 .
for file in *; do
    case "$file" in
        *.example | README.md | init.sh) ;;
        *) [ -f "$file" ] && chmod 0644 "$file" ;;
    esac
done
