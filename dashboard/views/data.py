"""Data page (admins and managers): what is loaded, file imports through the importer, rejected rows.

Answers the operator's question "is the data in, complete and clean?": table row counts and date
ranges, the recent import runs, a file upload that goes through ``ops.store.importers.import_file``
(atomic and idempotent), and the rows an import rejected with the reason for each.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.components.tables import data_table
from dashboard.context import call, current_user, get_store, guarded, options, require_role, service
from dashboard.i18n import fmt_int, t


def render() -> None:
    if not require_role("admin", "manager"):
        return
    st.header(t("page.data"))
    st.caption(t("data.intro"))

    st.subheader(t("data.loaded"))
    summary = call(queries.table_summary)
    data_table(summary, key="data_summary", file_stem="ccops_tables")

    importer = service("ops.store.importers", "import_file")
    st.subheader(t("data.import"))
    if importer is None:
        st.info(t("data.import_unavailable"))
    else:
        _import_form(importer)

    st.subheader(t("data.runs"))
    runs = call(queries.import_runs)
    if runs.empty:
        st.caption(t("data.no_runs"))
    else:
        data_table(runs, key="data_runs", file_stem="ccops_import_runs")
        run_ids = runs["run_id"].tolist()
        st.subheader(t("data.rejected"))
        run_id = st.selectbox(t("data.pick_run"), options=run_ids, key="data_run_pick")
        rejected = call(queries.rejected_rows, run_id)
        if rejected.empty:
            st.success(t("data.no_rejected"))
        else:
            data_table(rejected, key="data_rejected", file_stem=f"rejected_{run_id}")


def _import_form(importer) -> None:  # noqa: ANN001
    from ops.store.importers import available_profiles
    from ops.store.schema import TABLES

    profiles = ["canonical", *available_profiles()]
    centers = options()["centers"]["center_id"].tolist()
    with st.form("data_import_form", clear_on_submit=False):
        up = st.file_uploader(
            t("data.upload"), type=["csv", "txt", "tsv", "xlsx", "xls", "parquet", "json"],
            key="data_upload",
        )  # fmt: skip
        c1, c2, c3 = st.columns(3)
        profile = c1.selectbox(t("data.profile"), profiles, key="data_profile")
        table = c2.selectbox(t("data.table"), sorted(TABLES), index=sorted(TABLES).index("contacts"),
                             key="data_table", help=t("data.table_help"))  # fmt: skip
        center = c3.selectbox(t("data.center"), ["", *centers], key="data_center",
                              help=t("data.center_help"))  # fmt: skip
        c4, c5 = st.columns(2)
        password = c4.text_input(t("data.password"), type="password", key="data_password")
        dry_run = c5.checkbox(t("data.dry_run"), key="data_dry_run")
        go = st.form_submit_button(t("data.import_go"), type="primary")
    if not (go and up is not None):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(up.name).name
        path.write_bytes(up.getvalue())
        with st.spinner(t("data.importing", file=up.name)):
            summary = importer(
                get_store(), path, profile=profile,
                table=table if profile == "canonical" else None,
                center_id=center or None, password=password or None, dry_run=dry_run,
                user=current_user().username,
            )  # fmt: skip
    if not dry_run:
        st.cache_data.clear()  # new rows: every cached page query is stale
    _show_summary(summary)


def _show_summary(summary) -> None:  # noqa: ANN001
    (st.success if summary.status in ("ok", "dry_run") else st.error)(
        t("data.summary", file=summary.file, table=summary.table, status=summary.status)
    )
    k = st.columns(5)
    k[0].metric(t("data.read"), fmt_int(summary.rows_read))
    k[1].metric(t("data.inserted"), fmt_int(summary.inserted))
    k[2].metric(t("data.updated"), fmt_int(summary.updated))
    k[3].metric(t("data.duplicates"), fmt_int(summary.duplicates))
    k[4].metric(t("data.rejected_n"), fmt_int(summary.rejected))
    if summary.message:
        st.caption(summary.message)
    if summary.rejected_rows:
        rows = pd.DataFrame([r.model_dump() for r in summary.rejected_rows])
        data_table(rows, key="data_last_rejected", file_stem=f"rejected_{summary.run_id}")


guarded(render, "data")
