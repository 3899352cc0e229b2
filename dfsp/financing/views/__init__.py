"""Financing pages: demands (FIN-P2), applications for enterprises, the institutions' review desk,
statistics and the operators' rejection reasons (FIN-P3)."""
