"""Spark's Python daemon with crossnews's models loaded: ``spark.python.daemon.module`` for ``--engine spark``.

An executor starts one Python daemon, which forks a Python worker per task slot. This module loads the spaCy model
and the default extractors' weights in the daemon, once per executor, before it forks: the workers inherit them
(copy-on-write) instead of each loading its own. Then it runs PySpark's own daemon loop. A model that cannot be
loaded here is left to the workers, which load it on their first task as without this module.

Nothing is written to stdout before PySpark's loop starts: the daemon tells the executor its port there.
"""

from __future__ import annotations

import contextlib
import sys


def preload() -> None:
    """Load the model and the default extractors' weights (a short English text through :func:`extract`)."""
    from crossnews.clean import clean
    from crossnews.core.settings import DEFAULTS
    from crossnews.extract import extract
    from crossnews.ingest import RawInput

    text = ("Warm-up\n\nThe mayor of Springfield said on Monday that the bridge would reopen next week, "
            "according to a statement. \"We are ready,\" she told reporters.\n")
    extract([clean(RawInput("crossnews-warm-up", text, "text", "file"))], DEFAULTS)


def main() -> None:
    with contextlib.redirect_stdout(sys.stderr):
        try:
            preload()
        except Exception as exc:  # noqa: BLE001 - the workers load what is missing on their first task
            print(f"crossnews: the Spark daemon could not preload the models ({type(exc).__name__}: {exc})",
                  file=sys.stderr)
    from pyspark.daemon import manager

    manager()


if __name__ == "__main__":
    main()
