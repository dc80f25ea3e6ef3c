"""The local web app (``crossnews serve``): HTML pages and a JSON API over a store, and a job runner for uploads."""
