# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e .
COPY . .
# Production's static storage (hashed names and their manifest), collected with throwaway keys.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build DEBUG=false \
      SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
      SSN_HMAC_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
      PAYMENTS_GATEWAY=test PAYMENTS_TEST_MODE=true \
      python manage.py collectstatic --noinput

EXPOSE 8000
CMD ["gunicorn", "oems_portal.wsgi"]
