"""``python -m service``: serve with uvicorn, host and port from HOST and PORT."""

import os

import uvicorn

if __name__ == "__main__":
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        workers=int(os.environ.get("SENSATION_WORKERS", "1")),
    )
