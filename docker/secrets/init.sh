#!/bin/sh
# Creates each missing secret file from its .example so `docker compose up` works for a local demo,
# and a random unsubscribe signing key (senders refuse to start without one; there is no default).
set -eu
cd "$(dirname "$0")"
umask 077
if [ ! -e unsubscribe_secret ]; then
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 32 > unsubscribe_secret
    else
        od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > unsubscribe_secret
    fi
    chmod 600 unsubscribe_secret
    echo "created docker/secrets/unsubscribe_secret (a random key)"
fi
for example in *.example; do
    target="${example%.example}"
    if [ ! -e "$target" ]; then
        cp "$example" "$target"
        chmod 600 "$target"
        echo "created docker/secrets/$target from $example"
    fi
done
