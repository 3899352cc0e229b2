"""Working-day calendar (Chinese public holidays and 调休 days) and per-step time limits in working days."""
