"""Command-line tools to train, evaluate and gate scorer bundles."""
