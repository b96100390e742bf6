# towerbot in a container: slim Python, a non-root user, the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TOWERBOT_DB=/data/towerbot.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cascade ./cascade
COPY storage ./storage
COPY sandbox ./sandbox
COPY fixtures ./fixtures
RUN pip install . \
    && useradd --create-home --uid 10001 towerbot \
    && mkdir -p /data \
    && chown towerbot:towerbot /data

USER towerbot
VOLUME ["/data"]
CMD ["towerbot", "run"]
