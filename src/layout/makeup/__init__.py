"""Page make-up: the grid every element of a print page is placed on."""
