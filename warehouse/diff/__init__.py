"""Editions compared: change events, materiality, growth, similarity, redlines, and storing them."""
