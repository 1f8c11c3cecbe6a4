"""What a page shows and how it is rendered: presenters, templates, HTML, JSON, CSV text.
Owns URLs, page contexts, Markdown, JSON-LD and data downloads as strings; writes no file.
May import: content, history.
"""
