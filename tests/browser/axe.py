"""axe-core (the npm package in node_modules, never a CDN) and the script that runs it: serious or
critical WCAG 2.1 A/AA violations as "rule: first targets" lines."""

import os
from pathlib import Path

from django.conf import settings

AXE = Path(os.environ.get("DFSP_AXE_JS", settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"))
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "));
}"""
