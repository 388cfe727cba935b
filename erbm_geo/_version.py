"""The package version (a leaf, so that low layers can name it without importing the root)."""

__version__ = "0.1.0"
