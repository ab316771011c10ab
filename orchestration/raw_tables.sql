-- The raw layer written by the ingest assets. Created idempotently before every load.
create schema if not exists raw;

-- One row per distinct queue_log line that parsed (see orchestration/sources/queue_log.py).
create table if not exists raw.queue_log (
    line_hash varchar primary key,
    source_file varchar not null,
    line_number integer not null,
    event_epoch double not null,
    event_at timestamp not null,
    callid varchar,
    queuename varchar,
    agent varchar,
    event varchar not null,
    data1 varchar,
    data2 varchar,
    data3 varchar,
    data4 varchar,
    data5 varchar,
    data_extra varchar
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

-- The per-file ledger: lines_read = loaded_count + quarantined_count + duplicate_count.
-- A file is known by path and content hash: the same content is never ingested twice.
create table if not exists raw.ingest_files (
    source varchar not null,
    source_file varchar not null,
    content_sha256 varchar not null,
    lines_read integer not null,
    loaded_count integer not null,
    quarantined_count integer not null,
    duplicate_count integer not null,
    ingested_at timestamp not null,
    primary key (source, source_file)
);
