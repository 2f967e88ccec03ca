"""HTTP scoring API: ``uvicorn service.app:create_app --factory``."""
