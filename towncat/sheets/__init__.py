"""Spreadsheets in and out: reading xlsx/CSV tables into list items, writing them back.
Owns workbooks and the mapping of rows to items; the YAML it writes passes ``check``.
It reads and writes content only; it sits at the top so that nothing depends on it.
May import: content, history, site, search, build.
"""
