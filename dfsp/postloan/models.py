"""Post-loan: overdue reports, renewal and deferral, mutual evaluation, monitoring, lending statistics."""
