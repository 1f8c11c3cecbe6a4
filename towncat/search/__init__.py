"""The search index: bundles of towns, running Pagefind, making its output canonical.
Owns what is indexed and how the bundles are laid out.
May import: content, history, site.
"""
