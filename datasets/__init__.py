"""Corpora: the project's own labelled samples, readers for each format, the manifest."""
