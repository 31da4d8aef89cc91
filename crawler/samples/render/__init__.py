"""Per-site templates for the sample sites; build.py drives them."""
