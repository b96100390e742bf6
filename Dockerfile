# towerbot in a container: slim Python, the CJK font the charts need, a non-root
# user, the database on a volume.
#
#   docker build -t towerbot .
#   docker run --rm -p 8080:8080 towerbot towerbot demo --host 0.0.0.0    # the demo page
#   docker run --rm -v towerbot:/data -v "$PWD/my-tower.yaml:/tower.yaml:ro" \
#       towerbot towerbot import /tower.yaml                              # your own tower
#   docker run -d --restart unless-stopped -e BOT_TOKEN=... -v towerbot:/data towerbot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TOWERBOT_DB=/data/towerbot.db

# Charts and maps label in Chinese only with a CJK font; without one they fall
# back to English labels and unit codes. `towerbot backup` of a PostgreSQL
# database (compose.yaml) runs pg_dump, Debian's postgresql-client.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The dependencies in their own layer: rebuilt only when pyproject.toml changes,
# not on every code change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY README.md ./
COPY bot ./bot
COPY cascade ./cascade
COPY storage ./storage
COPY sandbox ./sandbox
COPY fixtures ./fixtures
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 towerbot \
    && mkdir -p /data \
    && chown towerbot:towerbot /data

USER towerbot
VOLUME ["/data"]
EXPOSE 8080
CMD ["towerbot", "run"]
