"""Writers: model + templates + styles -> files.  They never parse source text."""
