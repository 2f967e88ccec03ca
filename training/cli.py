"""What the training CLIs share: one typer command per module, `--help` from its docstring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def run_command(main: Callable[..., Any]) -> None:
    # Markdown mode joins the docstring's wrapped lines into paragraphs in --help.
    app = typer.Typer(rich_markup_mode="markdown", add_completion=False)
    app.command()(main)
    app()
