"""Loaded by the fork server that prints for a process with several threads (see child.py):
every print forked from it starts with the layout engine loaded, the fonts read and the
stylesheets parsed."""

from .child import prepare

prepare()
