# One image for every tfp process: gunicorn (web), Celery worker and Celery beat.
# docker-compose.yml picks the process with `command:`.

# GOV.UK Frontend, MOJ Frontend, Chart.js and axe-core come from npm, pinned by the lock file.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint (claim packs as PDF) needs Pango and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 tfp
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# Settings need a secret, a database and a broker URL to load; collectstatic uses none for real.
RUN DEBUG=false SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/none \
        CELERY_BROKER_URL=redis://localhost/0 \
        python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p var/media \
    && chown -R tfp:tfp var
USER tfp
EXPOSE 8000
CMD ["gunicorn", "tfp.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
