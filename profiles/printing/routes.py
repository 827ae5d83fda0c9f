"""Views for the preview and the PDF."""
