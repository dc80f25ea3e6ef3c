"""The core every stage stands on: records, their JSON codec, errors, the backend registry, settings and the
spaCy model. Nothing here imports a stage."""
