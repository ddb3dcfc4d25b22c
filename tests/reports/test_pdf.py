"""The PDF: Korean glyphs travel inside the file, and a vendor's PDF names no other center.

Printing needs Chromium, so these are ``browser`` tests; the HTML checks run without it.
"""

from __future__ import annotations

import io
import shutil

import pytest

from ops.reports.pdf import format_value, sparkline_svg, summary_to_html
from ops.store import Scope

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and not shutil.which("/usr/bin/chromium"),
    reason="Chromium is not installed (scripts/system-deps.sh installs it)",
)


def test_format_value():
    assert format_value(0.7834, "ratio") == "78.3%"
    assert format_value(14.24, "seconds") == "14.2 s"
    assert format_value(6.04, "score") == "6.04"
    assert format_value(87.68, "score") == "87.7"
    assert format_value(-12.0, "index") == "-12"
    assert format_value(1_500_000, "currency", "KRW") == "1,500,000 KRW"
    assert format_value(None, "ratio") == "–"


def test_sparkline_has_a_point_per_value():
    svg = sparkline_svg([0.8, None, 0.7, 0.9], "#000")
    assert svg.count(",") >= 3 and "polyline" in svg
    assert "polyline" not in sparkline_svg([0.8], "#000")


def test_html_escapes_and_carries_both_languages(sample_summary):
    sample_summary.findings[0].text_en = "<script>alert(1)</script>"
    page = summary_to_html(sample_summary, {}, "both")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "서비스 레벨" in page and "Service level" in page
    en = summary_to_html(sample_summary, {}, "en")
    assert "서비스 레벨" not in en.split("<body>", 1)[1].split("Vendor ranking")[0]
    # the ranking says what its attainment is (not lines met / lines: daily lines count by days)
    assert sample_summary.vendor_ranking
    assert "Lines met in every period" in en and "the share of each line&#x27;s periods" in en
    ko = summary_to_html(sample_summary, {}, "ko")
    ranking = ko.split("계약 달성 순위", 1)[1].split("</table>", 1)[0]
    assert "<th>유형</th>" in ranking and "<th>Kind</th>" not in ranking  # headers in Korean
    kinds = {v.kind for v in sample_summary.vendor_ranking}
    assert ("협력사" in ranking) == ("vendor" in kinds) and "in_house" not in ranking


def _fonts(reader) -> list[dict]:
    """Every font the PDF's pages (and their form XObjects) use, with what is embedded."""
    out: list[dict] = []

    def walk(res) -> None:
        if res is None:
            return
        res = res.get_object()
        for font in (res.get("/Font") or {}).values():
            f = font.get_object()
            if "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                desc = f.get("/FontDescriptor")
            d = desc.get_object() if desc is not None else {}
            tounicode = f.get("/ToUnicode")
            out.append(
                {
                    "subtype": str(f.get("/Subtype")),
                    "name": str(d.get("/FontName") or f.get("/BaseFont") or ""),
                    "embedded": any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    or "/CharProcs" in f,
                    "tounicode": tounicode.get_object().get_data().decode("latin-1")
                    if tounicode is not None
                    else "",
                }
            )
        for xo in (res.get("/XObject") or {}).values():
            x = xo.get_object()
            if "/Resources" in x:
                walk(x["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return out


@pytest.mark.browser
@needs_chromium
def test_vendor_pdf_embeds_cjk_and_names_no_other_center(tiny_store):
    pypdf = pytest.importorskip("pypdf")
    from ops.reports import render_monthly_pdf

    data = render_monthly_pdf(tiny_store, Scope.centers("MANILA"), "2026-09")
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 6
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "MANILA" in text and "마닐라" in text and "월간 운영 보고서" in text
    assert "6 of 30 days" in text
    for other in ("SEOUL", "Seoul", "서울"):
        assert other not in text, other
    fonts = _fonts(reader)
    cjk = [f for f in fonts if "CJK" in f["name"]]
    assert cjk, fonts
    # Glyphs are inside the file (Chromium embeds CFF-based Noto CJK as Type 3 outlines), and the
    # ToUnicode map covers Hangul syllables (U+AC00-U+D7A3), so the Korean text is searchable.
    assert all(f["embedded"] for f in cjk)
    hangul = any(
        0xAC00 <= int(tok, 16) <= 0xD7A3
        for f in cjk
        for tok in __import__("re").findall(r"<([0-9A-Fa-f]{4})>", f["tounicode"])
    )
    assert hangul
    # Every font the PDF uses is embedded (no reliance on the reader's fonts).
    assert all(f["embedded"] for f in fonts), [f for f in fonts if not f["embedded"]]


@pytest.mark.browser
@needs_chromium
def test_concurrent_chart_exports_get_their_own_charts():
    """Dashboard users download at the same time: no one may receive another's chart."""
    import threading

    import plotly.graph_objects as go

    from ops.reports.pdf import figures_to_svg

    out: dict[int, str] = {}

    def work(i: int) -> None:
        fig = go.Figure(go.Scatter(x=[1, 2], y=[1, i]))
        fig.update_layout(title=f"CHART{i}X", height=200)
        out[i] = figures_to_svg({"c": fig})["c"]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(4):
        assert f"CHART{i}X" in out[i]
        assert not any(f"CHART{j}X" in out[i] for j in range(4) if j != i)
