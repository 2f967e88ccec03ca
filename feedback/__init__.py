"""Readers' reports on scores and highlights: what is stored, the store, export and review.

The service records reports (``POST /v1/feedback``) and the data team exports, reviews and
trains on them (``python -m training feedback ...``); both use this package, which knows
nothing of either.
"""
