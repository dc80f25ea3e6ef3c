"""Engines: where the per-document extraction of :func:`crossnews.pipeline.analyze` runs.

The default engine is this process (:func:`crossnews.extract.extract`). :mod:`crossnews.engine.spark` runs it on the
executors of a Spark cluster (``crossnews analyze --engine spark``; needs the ``spark`` extra and Java 17+). An
engine is an :data:`crossnews.pipeline.Extractor` given in :class:`crossnews.pipeline.AnalyzeOptions`: ingest,
cleaning, storing, alignment and relations run on the driver as they do without it, so the export is the same.
"""
