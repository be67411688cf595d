"""Case-file pages, one module per section of the case file."""
