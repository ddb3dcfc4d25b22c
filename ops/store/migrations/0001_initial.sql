-- 0001: the initial ccops data model (DESIGN.md 'Data model'). Frozen: change the schema with a new file.

CREATE TABLE centers (
  center_id VARCHAR,
  name VARCHAR,
  name_ko VARCHAR,
  kind VARCHAR,
  vendor_name VARCHAR,
  timezone VARCHAR,
  hourly_cost DOUBLE,
  currency VARCHAR,
  calendar_json VARCHAR
);

CREATE TABLE queues (
  queue_id VARCHAR,
  name VARCHAR,
  name_ko VARCHAR,
  channel VARCHAR,
  mode VARCHAR,
  concurrency INTEGER,
  segment VARCHAR
);

CREATE TABLE tags (
  tag_id VARCHAR,
  path VARCHAR,
  path_en VARCHAR,
  level1 VARCHAR,
  level2 VARCHAR,
  level3 VARCHAR,
  level1_en VARCHAR,
  level2_en VARCHAR,
  level3_en VARCHAR,
  department VARCHAR,
  is_simple BOOLEAN,
  severity INTEGER
);

CREATE TABLE contacts (
  contact_id VARCHAR,
  source VARCHAR,
  source_id VARCHAR,
  channel VARCHAR,
  queue_id VARCHAR,
  center_id VARCHAR,
  agent_id VARCHAR,
  customer_id VARCHAR,
  segment VARCHAR,
  priority INTEGER,
  created_at TIMESTAMP,
  created_local TIMESTAMP,
  answered_at TIMESTAMP,
  abandoned_at TIMESTAMP,
  wait_s DOUBLE,
  handle_s DOUBLE,
  resolved_at TIMESTAMP,
  reopened BOOLEAN,
  tag_id VARCHAR,
  handled_by VARCHAR,
  via_bot BOOLEAN,
  template_id VARCHAR,
  is_urgent BOOLEAN,
  csat TINYINT,
  ces TINYINT,
  first_response_business_s DOUBLE,
  resolution_business_s DOUBLE,
  is_repeat BOOLEAN,
  import_run_id VARCHAR
);

CREATE TABLE interval_stats (
  interval_start TIMESTAMP,
  interval_local TIMESTAMP,
  interval_s INTEGER,
  queue_id VARCHAR,
  center_id VARCHAR,
  offered BIGINT,
  answered BIGINT,
  answered_within_t BIGINT,
  abandoned BIGINT,
  abandoned_short BIGINT,
  abandoned_within_t BIGINT,
  threshold_s DOUBLE,
  handle_s_total DOUBLE,
  wait_s_total DOUBLE,
  source VARCHAR,
  import_run_id VARCHAR
);

CREATE TABLE agents (
  agent_id VARCHAR,
  name VARCHAR,
  center_id VARCHAR,
  team VARCHAR,
  skills VARCHAR,
  hire_date DATE,
  end_date DATE,
  employment VARCHAR
);

CREATE TABLE schedules (
  center_id VARCHAR,
  queue_id VARCHAR,
  agent_id VARCHAR,
  interval_start TIMESTAMP,
  interval_local TIMESTAMP,
  interval_s INTEGER,
  scheduled_s DOUBLE,
  staffed_s DOUBLE,
  productive_s DOUBLE,
  import_run_id VARCHAR
);

CREATE TABLE qa_forms (
  form_id VARCHAR,
  version INTEGER,
  name VARCHAR,
  definition_json VARCHAR,
  created_at TIMESTAMP
);

CREATE TABLE qa_evaluations (
  evaluation_id VARCHAR,
  contact_id VARCHAR,
  agent_id VARCHAR,
  center_id VARCHAR,
  evaluator_id VARCHAR,
  evaluator_org VARCHAR,
  form_id VARCHAR,
  form_version INTEGER,
  critical_fail BOOLEAN,
  comments VARCHAR,
  evaluated_at TIMESTAMP,
  calibration_session_id VARCHAR,
  import_run_id VARCHAR
);

CREATE TABLE qa_item_scores (
  evaluation_id VARCHAR,
  center_id VARCHAR,
  item_id VARCHAR,
  score DOUBLE,
  is_na BOOLEAN
);

CREATE TABLE surveys (
  survey_id VARCHAR,
  kind VARCHAR,
  score INTEGER,
  contact_id VARCHAR,
  customer_id VARCHAR,
  center_id VARCHAR,
  channel VARCHAR,
  segment VARCHAR,
  responded_at TIMESTAMP,
  comment VARCHAR,
  import_run_id VARCHAR
);

CREATE TABLE events (
  event_id VARCHAR,
  kind VARCHAR,
  name VARCHAR,
  name_ko VARCHAR,
  start_date DATE,
  end_date DATE,
  center_id VARCHAR,
  channel VARCHAR,
  tag_id VARCHAR,
  expected_effect DOUBLE,
  notes VARCHAR
);

CREATE TABLE sla_contracts (
  contract_id VARCHAR,
  version INTEGER,
  center_id VARCHAR,
  effective_from DATE,
  effective_to DATE,
  monthly_fee DOUBLE,
  currency VARCHAR,
  definition_json VARCHAR,
  source_file VARCHAR,
  loaded_at TIMESTAMP
);

CREATE TABLE forecast_runs (
  run_id VARCHAR,
  created_at TIMESTAMP,
  freq VARCHAR,
  horizon INTEGER,
  model VARCHAR,
  params_json VARCHAR,
  code_version VARCHAR,
  notes VARCHAR
);

CREATE TABLE forecasts (
  run_id VARCHAR,
  series_id VARCHAR,
  center_id VARCHAR,
  queue_id VARCHAR,
  ds TIMESTAMP,
  yhat DOUBLE,
  yhat_lo DOUBLE,
  yhat_hi DOUBLE,
  model VARCHAR
);

CREATE TABLE import_runs (
  run_id VARCHAR,
  started_at TIMESTAMP,
  finished_at TIMESTAMP,
  user_name VARCHAR,
  file_name VARCHAR,
  file_hash VARCHAR,
  profile VARCHAR,
  table_name VARCHAR,
  accepted BIGINT,
  rejected BIGINT,
  duplicates BIGINT,
  updated BIGINT,
  status VARCHAR,
  message VARCHAR
);

CREATE TABLE rejected_rows (
  run_id VARCHAR,
  file_name VARCHAR,
  row_number BIGINT,
  column_name VARCHAR,
  value VARCHAR,
  reason VARCHAR,
  raw VARCHAR
);

