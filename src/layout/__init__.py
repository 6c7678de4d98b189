"""layout: Chinese news articles to print PDF and EPUB 3."""

__version__ = "0.1.0"
