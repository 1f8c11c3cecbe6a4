"""Git and what changed: the log in one pass, versions compared by id, editions.
Owns commits, changes and the frozen trees of published editions.
May import: content.
"""
