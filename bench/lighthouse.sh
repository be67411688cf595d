#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices) over the sign-in page and one page per
# role, served as in production: DEBUG off, gunicorn, whitenoise's compressed manifest, static
# files collected. Needs DATABASE_URL (a database with data: `seed_demo` makes the demo's) and
# Debian's Chromium; installs Lighthouse under bench/lighthouse/ the first time.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tfp bench/lighthouse.sh [MIN_SCORE]
#
# Prints one line per page and fails if any score is below MIN_SCORE (default 95). Reports are
# left in var/lighthouse/ (JSON, one per page). Lighthouse's desktop preset: tfp is used by
# council staff at office desktops, never on a phone network.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?bench/lighthouse.sh needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/tfp}"
MIN_SCORE=${1:-95}
PORT=${LIGHTHOUSE_PORT:-8765}
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=var/lighthouse
PY=.venv/bin/python

export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')}
export ALLOWED_HOSTS=127.0.0.1
# Plain http on 127.0.0.1: no redirect to https, cookies sent without it.
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
# Nothing is queued by reading a page; the broker only has to be named for DEBUG off.
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/9}
export CHROME_PATH

if [[ ! -x bench/lighthouse/node_modules/.bin/lighthouse ]]; then
    npm ci --prefix bench/lighthouse --no-audit --no-fund
fi
$PY manage.py migrate --noinput --verbosity 0
$PY manage.py collectstatic --noinput --verbosity 0
mkdir -p "$OUT"

if curl -so /dev/null "http://127.0.0.1:$PORT/"; then
    echo "Something already answers on port $PORT: set LIGHTHOUSE_PORT." >&2
    exit 1
fi
.venv/bin/gunicorn tfp.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 60); do
    curl -fso /dev/null "http://127.0.0.1:$PORT/sign-in/" && break
    sleep 0.5
done

failed=0
pages=0
printf '%-16s %-28s %11s %13s %14s\n' page path performance accessibility best-practices
while read -r role path cookie; do
    headers='{}'
    [[ "$cookie" != - ]] && headers="{\"Cookie\": \"$cookie\"}"
    report="$OUT/$role.json"
    # Lighthouse now and then loses its trace on a busy machine (NO_NAVSTART): tried again.
    for try in 1 2 3; do
        bench/lighthouse/node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$path" \
            --quiet --preset=desktop \
            --only-categories=performance,accessibility,best-practices \
            --chrome-flags="--headless --no-sandbox" \
            --extra-headers="$headers" \
            --output=json --output-path="$report" >/dev/null && break
        ((try < 3)) || { echo "Lighthouse failed three times on $path" >&2; exit 1; }
    done
    read -r perf a11y best final < <($PY -c '
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
print(*(round(c[k]["score"] * 100) for k in ("performance", "accessibility", "best-practices")), r["finalDisplayedUrl"])
' "$report")
    printf '%-16s %-28s %11s %13s %14s\n' "$role" "$path" "$perf" "$a11y" "$best"
    # A page that bounced to the sign-in form would score the wrong page.
    if [[ "$final" != "http://127.0.0.1:$PORT$path" ]]; then
        echo "  ended on $final instead" >&2; failed=1
    fi
    for score in $perf $a11y $best; do ((score >= MIN_SCORE)) || failed=1; done
    pages=$((pages + 1))
done < <($PY -m bench.lighthouse_pages)


if ((pages < 7)); then
    echo "Only $pages pages were measured." >&2
    exit 1
fi
if ((failed)); then
    echo "Some page scored below $MIN_SCORE (reports in $OUT/)." >&2
    exit 1
fi
echo "Every page scored $MIN_SCORE or more."
