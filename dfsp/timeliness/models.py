"""Timeliness: late applications, urging (催办) and escalation (督办), the public timeliness scorecard."""
