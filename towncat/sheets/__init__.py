"""Spreadsheets in and out: reading xlsx/CSV tables into list items, writing them back.
Owns workbooks and the mapping of rows to items; the YAML it writes passes ``check``.
May import: content.
"""
