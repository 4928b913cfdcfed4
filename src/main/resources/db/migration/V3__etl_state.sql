-- ETL state (PostgreSQL: shared by every replica). The same tables as db/store/sqlite/V2__etl_state.sql,
-- the embedded default; times are Unix milliseconds in both.

-- Where each incremental job's last successful run ended, per stream it reads (JSON: stream -> position).
create table etl_checkpoint (
    job       text    primary key,
    positions text    not null,
    saved_at  bigint  not null
);

-- Every run of a job; ids sort by time, so the key lists them newest first. owner is the process running it.
create table etl_run (
    id          text    primary key,
    job         text    not null,
    trigger     text    not null,
    owner       text,
    started_at  bigint  not null,
    finished_at bigint,
    status      text    not null,
    records     bigint  not null default 0,
    errors      bigint  not null default 0,
    skipped     text,
    files       text,
    error       text
);
create index etl_run_job on etl_run (job, id);
create index etl_run_finished on etl_run (finished_at) where status <> 'RUNNING';
-- One run of a job at a time, across replicas: starting a run is inserting its RUNNING row.
create unique index etl_run_running on etl_run (job) where status = 'RUNNING';
