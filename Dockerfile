# Same steps as the README's set-up: pinned requirements, then the default model, then uvicorn.
# Build with the corpora folder as a build context: docker build --build-context corpora=../shared/corpora .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 \
    SENSATION_MODEL_PATH=/app/models/default
WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY sensational ./sensational
COPY service ./service
COPY training ./training
COPY datasets ./datasets
RUN --mount=type=bind,from=corpora,target=/corpora \
    SENSATION_CORPORA=/corpora python -m training.train --output /app/models/default

RUN useradd --create-home --uid 10001 app && chown -R app /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
CMD ["python", "-m", "service"]
