"""Orchestration and output: the pipeline, per-town workers, the only writer, shards.
Owns the staging folder, incremental reuse and the atomic swap into site/.
May import: content, history, site, search.
"""
