"""Hostile texts shared by the security tests (a helper module, not a test module)."""

from __future__ import annotations

from pathlib import Path

#: The file the "rce" payload would create if a template ever ran it.
MARKER = Path("/tmp/erbm_geo_template_injection_marker")

PAYLOADS = {
    "expression": "{{7*191}}",
    "raw-block": "{% raw %}",
    "comment": "{#",
    "rce": "{{ cycler.__init__.__globals__.os.system('touch " + str(MARKER) + "') }}",
    "loop": "{% for x in range(3) %}x{% endfor %}",
    "closers": "}} %} #} {{",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>&\"'",
    "script-end": "</script><script>alert(3)</script>",
    "mathtext": r"$\frac{1}{0}$ ${x} \$",
}
