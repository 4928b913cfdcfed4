-- Lead routing state (SQLite, the embedded default). The same tables as db/migration/V2__lead_store.sql for
-- PostgreSQL; times are Unix milliseconds in both.

-- Every accepted update, its receipt and its place in the delivery queue: one row, written in one transaction.
-- seq is the acceptance order (per-lead order follows it); owner is the replica delivering it (null: nobody yet).
create table lead_update (
    seq            integer primary key autoincrement,
    id             text    not null unique,
    crm            text    not null,
    target         text    not null,
    lead_key       text    not null,
    status         text    not null,
    attempts       integer not null default 0,
    target_lead_id text,
    remarks        text,
    error          text,
    accepted_at    integer not null,
    updated_at     integer not null,
    origin         text,
    body           text,
    owner          text
);
create index lead_update_pending on lead_update (crm, seq) where status = 'PENDING';
create index lead_update_lead on lead_update (crm, lead_key, seq) where status = 'PENDING';
create index lead_update_finished on lead_update (updated_at) where status <> 'PENDING';

-- Updates that could not be delivered, paged by id within a target, a reason, both, or neither.
create table dead_letter (
    id          text    primary key,
    update_id   text,
    target      text,
    reason      text    not null,
    http_status integer,
    attempts    integer not null,
    failed_at   integer not null,
    error       text,
    body        text,
    origin      text,
    raw         text
);
create index dead_letter_target_reason on dead_letter (target, reason, id);
create index dead_letter_target on dead_letter (target, id);
create index dead_letter_reason on dead_letter (reason, id);

-- Idempotency-Key (hashed) -> the update it first accepted, until the window ends.
create table idempotency_key (
    key_hash   text    primary key,
    update_id  text    not null,
    created_at integer not null
);
create index idempotency_key_created on idempotency_key (created_at);

-- Replicas alive: a claim is good while its owner's lease here has not expired.
create table replica (
    id          text    primary key,
    lease_until integer not null
);

-- The last good stage catalog of each source, shared by the replicas (PostgreSQL): the leader polls and
-- writes, the others read. (SQLite, one process, keeps its catalogs as files; the table stays empty.)
create table catalog (
    source    text   primary key,
    document  text   not null,
    polled_at bigint not null
);
