"""Reading and checking the YAML: strict loader, schemas, cross-file checks, the model.
Owns problems (what ``check`` reports), the catalogue and the per-town summaries.
May import: nothing of the other stages.
"""
