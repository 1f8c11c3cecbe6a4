"""The search indexes: the compact index the search page uses; Pagefind's bundles, canonical.
Owns what is indexed and how the bundles are laid out.
May import: content, history, site.
"""
