"""Data page (admins and managers): what is loaded, file imports through the importer, rejected rows.

Answers the operator's question "is the data in, complete and clean?": table row counts and date
ranges, the recent import runs, a file upload that goes through ``ops.store.importers.import_file``
(atomic and idempotent), and the rows an import rejected with the reason for each.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard import queries
from dashboard.components.tables import data_table
from dashboard.context import call, current_user, get_store, guarded, require_role, service
from dashboard.i18n import t


def render() -> None:
    if not require_role("admin", "manager"):
        return
    st.header(t("page.data"))
    st.caption(t("data.intro"))

    st.subheader(t("data.loaded"))
    summary = call(queries.table_summary)
    summary = summary.rename(
        columns={"table": t("data.col.table"), "rows": t("data.col.rows"),
                 "from": t("data.col.from"), "to": t("data.col.to")}
    )  # fmt: skip
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
    with st.form("data_import_form", clear_on_submit=True):
        up = st.file_uploader(
            t("data.upload"), type=["csv", "xlsx", "xls", "parquet", "json", "zip", "gz"],
            key="data_upload",
        )  # fmt: skip
        dry_run = st.checkbox(t("data.dry_run"), key="data_dry_run")
        go = st.form_submit_button(t("data.import_go"), type="primary")
    if not (go and up is not None):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(up.name).name
        path.write_bytes(up.getvalue())
        with st.spinner(t("data.importing", file=up.name)):
            result = importer(get_store(), path, dry_run=dry_run, user=current_user().username)
    st.cache_data.clear()  # new rows: every cached page query is stale
    st.success(t("data.imported", file=up.name))
    st.write(result)


guarded(render)
