"""Importers: other tools' exports read into our content format."""
