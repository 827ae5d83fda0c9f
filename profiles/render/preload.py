"""Loaded by the fork server that prints for a process with several threads (see child.py):
every print forked from it starts with the layout engine loaded, the fonts read, the
stylesheets parsed and a sample page printed. The server holds nothing short-lived, so all
of it is set aside from the garbage collector."""

from .child import for_the_process, prepare, rehearse_before_printing

rehearse_before_printing()  # the server lives as long as the process that started it
with for_the_process():
    prepare()
