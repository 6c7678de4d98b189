"""Page make-up of several stories (拼版): each story a rectangular module on the page grid.

``content`` says what each module holds, ``measure`` sets every story's copy once at the
column width (and its head texts at every module width), ``fit`` fits a story to a module
of whole columns and whole lines, ``search`` chooses the modules on numbers only, and
``page`` renders the one page HTML WeasyPrint sets.
"""
