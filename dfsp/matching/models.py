"""Matching demands and products (FIN-2): vectorised, incremental, ranked with reasons."""
