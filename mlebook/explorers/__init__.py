"""The book's interactive explorers."""
