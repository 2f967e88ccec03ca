"""Readers of the public corpora under the corpora root, one module per corpus."""
