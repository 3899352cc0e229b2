"""Credit data is read only through the consent gate (ARCHITECTURE.md: "Credit data is read only
through consent's gate"). Same rule as the proposed import-linter contract, checked by AST so it
runs without touching pyproject.toml: outside dfsp.datahub (the owner) and dfsp.consent.gate, no
module may name datahub's profile service or its credit-record table."""

import ast
from pathlib import Path

DFSP = Path(__file__).resolve().parents[2]
FORBIDDEN_NAMES = {"get_credit_profile", "get_credit_record", "CreditRecord"}
ALLOWED = {DFSP / "datahub", DFSP / "consent" / "gate.py", DFSP / "consent" / "tests"}


def _allowed(path: Path) -> bool:
    return any(path == a or a in path.parents for a in ALLOWED)


def offences(root: Path = DFSP) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if _allowed(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dfsp.datahub"):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.Attribute):
                names = [node.attr]
            elif isinstance(node, ast.Name):
                names = [node.id]
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "datahub_creditrecord" in node.value
            ):
                names = ["datahub_creditrecord"]
            for name in names:
                if name in FORBIDDEN_NAMES or name == "datahub_creditrecord":
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {name}")
    return found


def test_only_the_gate_reads_credit_data():
    assert offences() == []


def test_the_check_catches_a_bypass(tmp_path):
    app = tmp_path / "dfsp" / "financing"
    app.mkdir(parents=True)
    (app / "sneaky.py").write_text(
        "from dfsp.datahub.selectors import get_credit_profile\n", encoding="utf-8"
    )
    assert offences(tmp_path / "dfsp") == ["dfsp/financing/sneaky.py:1: get_credit_profile"]
