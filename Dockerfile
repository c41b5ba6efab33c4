# The portal's image: one image for web (gunicorn + whitenoise), worker and beat.
# Build: docker build -t citizen-portal .    Run: see docker-compose.yml

# --- Front-end assets from the pinned registry packages --------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static ./static
RUN mkdir -p static/build \
 && npx --no-install sass --pkg-importer=node --style=compressed --no-source-map \
      static/src/portal.scss static/build/portal.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/

# --- Python application ------------------------------------------------------------------
FROM python:3.12-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_DATA_DIR=/var/lib/portal
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app portal \
 && mkdir -p /var/lib/portal && chown portal /var/lib/portal
# The locked runtime set, hash-checked, in its own layer; then the project without resolving.
COPY requirements/runtime.txt ./requirements/
RUN pip install --require-hashes --no-deps -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY lib ./lib
COPY portal ./portal
COPY accounts ./accounts
COPY benefits ./benefits
COPY journeys ./journeys
COPY conversations ./conversations
COPY representatives ./representatives
COPY appointments ./appointments
COPY notifications ./notifications
RUN pip install --no-deps --no-build-isolation . && pip check
COPY manage.py Procfile gunicorn.conf.py ./
COPY templates ./templates
COPY locale ./locale
COPY --from=assets /src/static ./static
# collectstatic needs settings but no database or secret: a throwaway key for the build only.
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput --verbosity 0
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
