"""``python -m training <command>``: see ``python -m training --help``."""

from training.cli import fix_hash_seed, main

fix_hash_seed()
main()
