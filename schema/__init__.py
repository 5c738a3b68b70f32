"""Strawberry types of the Artist, Label and Festival dossiers, and the facet registry."""
