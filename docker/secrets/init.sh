#!/bin/sh
# Creates each missing secret file from its .example so `docker compose up` works for a local demo.
set -eu
cd "$(dirname "$0")"
for example in *.example; do
    target="${example%.example}"
    if [ ! -e "$target" ]; then
        cp "$example" "$target"
        chmod 600 "$target"
        echo "created docker/secrets/$target from $example"
    fi
done
