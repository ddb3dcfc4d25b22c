"""The same metric definitions on Spark (local mode, through Ibis) and on DuckDB give the same table.

One Spark session per module (startup dominates: ~30-40 s on a busy 2-core box). The hand-made
fixture (10-call SL example, response-rate tickets, surveys) is copied table by table into Spark
temp views; ``BackendReader`` points the engine at them.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime

import pandas as pd
import pytest
from sla_fixtures import AS_OF_UTC, TEN_CALLS, TICKETS, call, load

from ops.sla import BackendReader, MetricParams, metric_table
from ops.store import Store

pytestmark = [pytest.mark.spark, pytest.mark.slow]

METRICS = [
    "offered", "answered", "abandoned", "short_abandons", "service_level",
    "service_level_answered_only", "service_level_abandons_excluded",
    "service_level_abandons_success", "asa_s", "abandon_rate", "aht_s", "response_rate_6h",
    "response_rate_16h", "frt_mean_s", "frt_business_mean_s", "csat", "ces", "nps",
    "repeat_contact_rate", "bot_containment",
]  # fmt: skip


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    import ibis
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    wh = tmp_path_factory.mktemp("spark-warehouse")
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("ccops-sla-parity")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(wh))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    store = Store.open(":memory:")
    extra = [call("m1", "2026-11-03 14:00:00", wait=7, answered=True, queue="C1", csat=4, ces=6,
                  via_bot=True),
             call("m2", "2026-11-03 14:05:00", wait=2, answered=False, queue="V2", segment="vip"),
             call("m3", "2026-11-03 14:10:00", wait=9, answered=True, queue="V2", segment="vip",
                  handled_by="bot", is_repeat=True)]  # fmt: skip
    surveys = pd.DataFrame({"survey_id": ["s1", "s2", "s3"], "kind": "nps", "score": [10, 7, 2],
                            "center_id": "SEOUL", "channel": "voice",
                            "responded_at": datetime(2026, 11, 2, 3)})  # fmt: skip
    load(store, TEN_CALLS + TICKETS + extra, surveys=surveys)
    con = ibis.pyspark.connect(spark)
    for name in ("centers", "queues", "contacts", "surveys"):
        df = store.query(f"SELECT * FROM {name}")
        # Nullable integer columns (TINYINT survey scores) hold NaN in pandas and the local
        # pandas -> Spark conversion drops them; ship them as doubles, then cast back in Spark so
        # the engine sees the store's real integer types.
        schema = store.ibis().table(name).schema()
        ints = {c: t for c, t in schema.items() if t.is_integer()}
        ship = ibis.schema({c: ("float64" if c in ints else t) for c, t in schema.items()})
        con.create_view(f"raw_{name}", ibis.memtable(df.astype({c: "float64" for c in ints}),
                                                     schema=ship), overwrite=True)  # fmt: skip
        raw = con.table(f"raw_{name}")
        fixed = {
            c: ibis.ifelse(raw[c].isnan(), ibis.null(), raw[c]).cast(t) for c, t in ints.items()
        }
        con.create_view(name, raw.mutate(**fixed) if fixed else raw, overwrite=True)
    yield store.reader(), BackendReader(con)
    store.close()
    spark.stop()


def test_metric_tables_identical(engines):
    duck, spark = engines
    p = MetricParams(as_of=AS_OF_UTC)
    kw = {"period": "day", "by": ["center", "channel", "segment"], "params": p}
    a = metric_table(duck, METRICS, **kw)
    b = metric_table(spark, METRICS, **kw)
    assert len(a) >= 4
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
