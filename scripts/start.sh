#!/usr/bin/env bash
# Set up, build the small demo database on first run, and start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
demo_db=$PWD/data/posyandu.duckdb
export POSYANDU_DB=${POSYANDU_DB:-$demo_db}
export POSYANDU_USERS=${POSYANDU_USERS:-$PWD/data/users.json}
if [ ! -f "$POSYANDU_DB" ]; then
  echo "Building the demo database (first run only) ..."
  .venv/bin/python -m dashboard demo --db "$POSYANDU_DB"
fi
if [ "$POSYANDU_DB" = "$demo_db" ]; then
  # the demo's past meetings, once; a failure is reported and does not keep the dashboard from starting
  .venv/bin/python -m dashboard meetings seed-demo --db "$POSYANDU_DB" >/dev/null || echo "Demo meetings not recorded (see above)."
fi
if [ "$POSYANDU_DB" = "$demo_db" ] && [ ! -f "$POSYANDU_USERS" ]; then
  # The demo only: one admin login so the internal pages can be seen. Real deployments add their
  # own users with `python -m dashboard users add NAME --role pokjanal|admin`.
  echo "demo-posyandu" | .venv/bin/python -m dashboard users add demo --role admin --password-stdin >/dev/null
  echo "Demo login for the internal pages: user 'demo', password 'demo-posyandu' (demo data only)."
fi
# The static public site (python -m dashboard publik build; every import rebuilds it), served beside
# the app by Python's file server on SITE_PORT (default 8502): what citizens open.
export POSYANDU_PUBLIC_SITE=${POSYANDU_PUBLIC_SITE:-$(dirname "$POSYANDU_DB")/publik-site}
export POSYANDU_PUBLIC_SITE_URL=${POSYANDU_PUBLIC_SITE_URL:-http://${HOST:-127.0.0.1}:${SITE_PORT:-8502}/}
if [ ! -L "$POSYANDU_PUBLIC_SITE" ]; then
  echo "Building the static public site (first run only) ..."
  .venv/bin/python -m dashboard publik build "$POSYANDU_PUBLIC_SITE"
fi
.venv/bin/python -m http.server "${SITE_PORT:-8502}" --bind "${HOST:-127.0.0.1}" \
  --directory "$POSYANDU_PUBLIC_SITE" >/dev/null 2>&1 &
site_server=$!
trap 'kill "$site_server" 2>/dev/null' EXIT
echo "Static public site: $POSYANDU_PUBLIC_SITE_URL"
.venv/bin/python -m dashboard serve --server.headless true --browser.gatherUsageStats false \
  --server.address "${HOST:-127.0.0.1}" --server.port "${PORT:-8501}" "$@"
