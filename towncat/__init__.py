"""towncat: the pipeline content → history → site → search → build, one subpackage a stage.

``config`` (site settings) may be imported by every stage; ``cli`` and ``serve`` are the
entry points at the top. Each stage imports only the stages its docstring names.
"""
