"""The one version of crossnews: the package, the export and the pipeline key stored with each document."""

__version__ = "0.26.0"
