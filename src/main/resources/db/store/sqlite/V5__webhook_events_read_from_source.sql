-- The same change as db/migration/V6__webhook_events_read_from_source.sql for PostgreSQL: phone and stage may be
-- unknown until the sync flows read the lead from its source. SQLite changes a column's constraint only by copying
-- the table (sqlite.org/lang_altertable.html, "other kinds of table schema changes").
create table webhook_event_new (
    seq         integer primary key autoincrement,
    id          text    not null unique,
    source      text    not null,
    event_id    text    not null,
    event_type  text    not null,
    phone       text,
    stage       text,
    lead_id     text,
    event_time  integer not null,
    received_at integer not null,
    status      text    not null,
    outcome     text,
    body        text    not null,
    unique (source, event_id)
);
insert into webhook_event_new (seq, id, source, event_id, event_type, phone, stage, event_time, received_at, status,
        outcome, body)
    select seq, id, source, event_id, event_type, phone, stage, event_time, received_at, status, outcome, body
    from webhook_event;
drop table webhook_event;
alter table webhook_event_new rename to webhook_event;
create index webhook_event_pending on webhook_event (event_time, seq) where status = 'PENDING';
create index webhook_event_lead on webhook_event (source, phone, event_time) where status = 'CARRIED';
create index webhook_event_finished on webhook_event (received_at) where status <> 'PENDING';
create index webhook_event_latest on webhook_event (source, phone, seq);
