# syntax=docker/dockerfile:1
# The README's set-up in an image: pinned runtime requirements, the default model trained at
# build time from a corpora folder passed in as a build context, then `python -m service`.
#   docker build --build-context corpora=../shared/corpora -t sensational .
#   docker run -p 8000:8000 -e SENSATION_CORS_ORIGINS=chrome-extension://<id> sensational
# tests/service/test_dockerfile.py checks these commands against the Makefile's.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 PORT=8000 SENSATION_MODEL_PATH=/app/models/default
WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY sensational ./sensational
COPY datasets ./datasets
COPY training ./training
COPY service ./service
COPY feedback ./feedback
COPY docs/criteria.md ./docs/criteria.md
# Same command as `make model`; the corpora are mounted for this step only, never copied in.
RUN --mount=type=bind,from=corpora,target=/corpora \
    SENSATION_CORPORA=/corpora python -m training train --config training/configs/default.toml --output /app/models/default

RUN useradd --create-home --uid 10001 app && mkdir -p /app/data && chown app /app/data
# Readers' reports go to /app/data/feedback.sqlite3 unless SENSATION_FEEDBACK_URL names a
# PostgreSQL database; mount a volume there to keep them.
VOLUME /app/data
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["python", "-m", "service.healthcheck"]
# uvicorn, with host, port and workers from the environment (SENSATION_WORKERS, ...).
CMD ["python", "-m", "service"]
