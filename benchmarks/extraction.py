"""Article extraction from page HTML: quality beside trafilatura's, and time per page.

``python -m benchmarks.extraction [--baseline DIR] [--output docs/extraction.md]``

Quality is measured with the evaluation set's own metric (``trafilatura-eval/SOURCE.md``): each
``with`` segment found in the extracted text is a true positive, missed a false negative; each
``without`` segment found is a false positive, absent a true negative; precision, recall and F1
over all segments of all pages. The same pages go to every extractor as the same ``str``. The
project's own pages (``tests/pages``, one per way extraction used to fail) are scored the same
way, with the headline checked too.

Time is wall time and CPU time per page, each the best of ``--repeat`` calls (extractors taken
in turn on each page, so a load change on a shared machine hits all of them alike); p50 and p90
over pages. On a machine shared with other work, wall time is inflated by waiting for a core;
CPU time is what the extraction itself costs, and the wall time of an idle machine.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.stats import percentile
from datasets.corpora import REPO_ROOT, corpora_root

OWN_PAGES = REPO_ROOT / "tests" / "pages"
CORPUS = "trafilatura-eval"

Extract = Callable[[str], tuple[str, str]]  # html -> (headline, body)


@dataclass
class Counts:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    headlines_right: int = 0
    headlines_checked: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    def add(self, text: str, annotation: dict[str, Any]) -> None:
        for segment in annotation["with"]:
            if segment in text:
                self.tp += 1
            else:
                self.fn += 1
        for segment in annotation["without"]:
            if segment in text:
                self.fp += 1
            else:
                self.tn += 1

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total = self.tp + self.fn + self.fp + self.tn
        out = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
        }
        if self.seconds:
            out["p50_ms"] = percentile(self.seconds, 50) * 1e3
            out["p90_ms"] = percentile(self.seconds, 90) * 1e3
            out["cpu_p50_ms"] = percentile(self.cpu_seconds, 50) * 1e3
            out["cpu_p90_ms"] = percentile(self.cpu_seconds, 90) * 1e3
        if self.headlines_checked:
            out["headlines"] = self.headlines_right / self.headlines_checked
        return out


def decode(raw: bytes) -> str:
    """A stored page as the browser would have it: UTF-8, else the detected encoding."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("utf-8", "replace")


def load_corpus(root: Path) -> list[tuple[str, dict[str, Any]]]:
    annotations = json.loads((root / "annotations.json").read_text(encoding="utf-8"))
    return [
        (decode(gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())), annotation)
        for key, annotation in sorted(annotations.items())
    ]


def load_own_pages() -> list[tuple[str, dict[str, Any]]]:
    annotations = json.loads((OWN_PAGES / "annotations.json").read_text(encoding="utf-8"))
    return [
        ((OWN_PAGES / f"{name}.html").read_text(encoding="utf-8"), annotation)
        for name, annotation in sorted(annotations.items())
    ]


def extractors(baseline: Path | None) -> dict[str, Extract]:
    import trafilatura

    from sensational.html import extract_article

    def ours(html: str) -> tuple[str, str]:
        article = extract_article(html)
        return article.headline, article.body

    def reference(html: str) -> tuple[str, str]:
        # As trafilatura's own evaluation runs it: main text, no comments.
        return "", trafilatura.extract(html, include_comments=False) or ""

    found: dict[str, Extract] = {
        "this service (sensational.html)": ours,
        f"trafilatura {trafilatura.__version__}": reference,
    }
    if baseline is not None:
        module = _load_module(baseline / "sensational" / "html.py", "baseline_html")
        found["previous extractor (baseline)"] = lambda html: (
            (article := module.extract_article(html)).headline,
            article.body,
        )
    return found


def _load_module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def measure(
    pages: list[tuple[str, dict[str, Any]]], found: dict[str, Extract], repeat: int
) -> dict[str, dict[str, Counts]]:
    """For each extractor: counts on the body, and on headline and body together."""
    results = {name: {"body": Counts(), "headline+body": Counts()} for name in found}
    for html, annotation in pages:
        for name, extract in found.items():
            best = best_cpu = float("inf")
            for _ in range(repeat):
                started, cpu_started = time.perf_counter(), time.process_time()
                headline, body = extract(html)
                best = min(best, time.perf_counter() - started)
                best_cpu = min(best_cpu, time.process_time() - cpu_started)
            body_counts = results[name]["body"]
            body_counts.add(body, annotation)
            body_counts.seconds.append(best)
            body_counts.cpu_seconds.append(best_cpu)
            results[name]["headline+body"].add(f"{headline}\n\n{body}", annotation)
            if "headline" in annotation:
                body_counts.headlines_checked += 1
                body_counts.headlines_right += headline == annotation["headline"]
    return results


def table(results: dict[str, dict[str, Counts]], with_headlines: bool) -> list[str]:
    head = (
        "| extractor | text | precision | recall | F1 | accuracy | p50 ms | p90 ms"
        " | CPU p50 ms | CPU p90 ms |"
    )
    rule = "|---|---|---|---|---|---|---|---|---|---|"
    if with_headlines:
        head += " headline right |"
        rule += "---|"
    lines = [head, rule]
    for name, parts in results.items():
        for part, counts in parts.items():
            f = counts.figures()
            if part == "headline+body" and name.startswith("trafilatura"):
                continue  # it returns no headline apart from its text
            timing = (
                f"{f['p50_ms']:.1f} | {f['p90_ms']:.1f} | {f['cpu_p50_ms']:.1f}"
                f" | {f['cpu_p90_ms']:.1f}"
                if "p50_ms" in f
                else "  |  |  |  "
            )
            row = (
                f"| {name} | {part} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f}"
                f" | {f['accuracy']:.3f} | {timing} |"
            )
            if with_headlines:
                if name.startswith("trafilatura"):
                    row += " not asked (main text only) |"
                else:
                    row += f" {f['headlines']:.0%} |" if "headlines" in f else "  |"
            lines.append(row)
    return lines


def report(args: argparse.Namespace) -> str:
    found = extractors(args.baseline)
    lines = [
        "# Article extraction",
        "",
        "Rewritten by `python -m benchmarks.extraction"
        + (" --baseline ..." if args.baseline else "")
        + " --output docs/extraction.md`; see that module for the method.",
        "",
        f"Machine: {os.cpu_count()} logical CPUs, load average at start"
        f" {' / '.join(f'{x:.2f}' for x in os.getloadavg())}; Python {sys.version.split()[0]};"
        f" best of {args.repeat} calls per page. Wall time (p50, p90) includes waiting for a"
        " core when the load average is above the number of CPUs; CPU time does not, and is"
        " what a page costs on an idle machine.",
        "",
    ]
    root = corpora_root(args.corpora)
    corpus = root / CORPUS if root is not None else None
    if corpus is not None and (corpus / "annotations.json").is_file():
        pages = load_corpus(corpus)
        lines += [
            f"## {CORPUS}: {len(pages)} English pages with must / must-not segments",
            "",
            "`body` is the extracted body alone; `headline+body` is what the service scores."
            " trafilatura's text is its main text (no comments), as its own evaluation runs it.",
            "",
            *table(measure(pages, found, args.repeat), with_headlines=False),
            "",
        ]
    else:
        lines += [f"## {CORPUS}", "", f"Skipped: no {CORPUS} folder under the corpora root.", ""]
    own = load_own_pages()
    lines += [
        f"## The project's own pages: {len(own)}, one per way extraction used to fail",
        "",
        "`tests/pages/annotations.json` names the cause of each page.",
        "",
        *table(measure(own, found, args.repeat), with_headlines=True),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=None, help="corpora root")
    parser.add_argument(
        "--baseline", type=Path, default=None, help="a checkout whose extractor to compare"
    )
    parser.add_argument("--repeat", type=int, default=5, help="calls per page; the best counts")
    parser.add_argument("--output", type=Path, default=None, help="write the report here too")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # extractors log every page they give up on
    text = report(args)
    sys.stdout.write(text + "\n")
    if args.output is not None:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
