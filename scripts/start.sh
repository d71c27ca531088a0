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
exec .venv/bin/python -m dashboard serve --server.headless true --browser.gatherUsageStats false \
  --server.address "${HOST:-127.0.0.1}" --server.port "${PORT:-8501}" "$@"
