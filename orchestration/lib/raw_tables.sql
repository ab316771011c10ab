-- The raw layer written by the ingest assets (orchestration/lib/raw_store.py creates the schema
-- and bumps RAW_SCHEMA_VERSION when this file changes).

-- One row per distinct queue_log event that parsed (orchestration/sources/queue_log*.py).
create table if not exists raw.queue_log (
    event_hash varchar primary key,
    source_file varchar not null,
    line_number integer not null,
    event_epoch double not null,
    event_at timestamp not null,
    -- The partition: center-local day of event_at.
    event_date date not null,
    callid varchar,
    queuename varchar,
    agent varchar,
    event varchar not null,
    data1 varchar,
    data2 varchar,
    data3 varchar,
    data4 varchar,
    data5 varchar,
    data_extra varchar,
    -- Columns of a table export that the queue_log layout has no place for, as JSON.
    extra_columns varchar
);

-- One row per distinct CDR line that parsed (orchestration/sources/cdr.py). Times are as the
-- PBX wrote them, on its own clock; stg_pbx__cdr converts them to UTC.
create table if not exists raw.cdr (
    line_hash varchar primary key,
    source_file varchar not null,
    line_number integer not null,
    accountcode varchar,
    src varchar,
    dst varchar,
    dcontext varchar,
    clid varchar,
    channel varchar,
    dstchannel varchar,
    lastapp varchar,
    lastdata varchar,
    start_local timestamp not null,
    -- The partition: center-local day of start_local (PBX wall clock).
    event_date date not null,
    answer_local timestamp,
    end_local timestamp,
    duration_seconds integer not null,
    billsec_seconds integer not null,
    disposition varchar not null,
    amaflags varchar,
    uniqueid varchar,
    userfield varchar,
    linkedid varchar,
    peeraccount varchar,
    sequence bigint,
    -- Columns the layout has that a CDR record does not know, as JSON.
    extra varchar
);

-- One row per distinct CRM record version that parsed (orchestration/sources/crm.py), of any
-- object; the latest version of a record wins downstream.
create table if not exists raw.crm_records (
    record_hash varchar primary key,
    source_file varchar not null,
    line_number integer not null,
    object_name varchar not null,
    record_id varchar not null,
    -- SystemModstamp (else LastModifiedDate), UTC.
    version_at timestamp not null,
    -- The partition: center-local day of version_at.
    event_date date not null,
    is_deleted boolean not null,
    -- Every non-empty column of the record, known or not, as a JSON object.
    fields varchar not null,
    -- The columns of the export this object does not know, as a JSON array (reported).
    unknown_columns varchar,
    -- When this row was loaded, UTC: of two rows of a record with the same version_at (a
    -- changed export merged into its earlier version), the later load wins downstream.
    loaded_at timestamp not null
);

-- One row per distinct post-call survey response that parsed (orchestration/sources/survey.py);
-- which call it belongs to is decided in dbt.
create table if not exists raw.survey_responses (
    response_hash varchar primary key,
    source_file varchar not null,
    line_number integer not null,
    response_id varchar not null,
    call_uniqueid varchar,
    call_linkedid varchar,
    caller_number varchar,
    submitted_at timestamp not null,
    -- The partition: center-local day of submitted_at.
    event_date date not null,
    csat integer,
    nps integer,
    ces integer,
    resolved boolean,
    comment varchar,
    channel varchar,
    -- Columns of the export the parser does not know, as JSON.
    extra varchar,
    -- When this row was loaded, UTC: the later load of a response wins downstream.
    loaded_at timestamp not null
);

-- Every line that could not be loaded, with the reason (never dropped silently).
create table if not exists raw.raw_quarantine (
    source varchar not null,
    source_file varchar not null,
    line_number integer not null,
    raw_text varchar not null,
    reason varchar not null,
    quarantined_at timestamp not null
);

-- The per-file ledger: lines_read = loaded_count + quarantined_count + duplicate_count
-- (+ a header line for table exports).
-- A file is known by path and content hash: the same content is never ingested twice; a
-- live log whose first bytes_ingested bytes still hash to prefix_sha256 has only grown.
create table if not exists raw.ingest_files (
    source varchar not null,
    source_file varchar not null,
    content_sha256 varchar not null,
    bytes_ingested bigint not null,
    prefix_sha256 varchar not null,
    lines_read integer not null,
    loaded_count integer not null,
    quarantined_count integer not null,
    duplicate_count integer not null,
    header_count integer not null,
    ingested_at timestamp not null,
    primary key (source, source_file)
);

-- The local days each load changed (rows added or removed), one change_id per loaded file:
-- dbt re-materialises the days of the changes it has not built yet.
create table if not exists raw.partition_changes (
    change_id bigint not null,
    source varchar not null,
    event_date date not null,
    changed_at timestamp not null
);

-- The zones the rows' event_date were derived in (orchestration/lib/raw_store.py re-derives them
-- when the center config names other zones).
create table if not exists raw.partition_zones (
    center_zone varchar not null,
    pbx_zone varchar not null
);

-- The PBX files this run held instead of loading (orchestration/lib/raw_store.py): a file that
-- lost bytes or lines it had loaded (emptied, truncated, rewritten shorter, edited) keeps its
-- earlier rows and ledger entry until its new content is accepted (`python -m
-- orchestration.landing accept`). Rewritten by every ingest of the source; a blocking check
-- (no_file_held) fails while any row is here.
create table if not exists raw.held_files (
    source varchar not null,
    source_file varchar not null,
    -- The content held (the file's bytes on disk now).
    content_sha256 varchar not null,
    -- What its ledger entry loaded, and what the file has now (text bytes, lines).
    bytes_before bigint not null,
    lines_before integer not null,
    bytes_now bigint not null,
    lines_now integer not null,
    change varchar not null,
    message varchar not null,
    held_at timestamp not null,
    primary key (source, source_file)
);
