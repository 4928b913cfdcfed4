-- CRM webhook events (PostgreSQL: shared by every replica). The same table as db/store/sqlite/V3__webhook_events.sql,
-- the embedded default; times are Unix milliseconds in both.

-- Every event a CRM's webhook delivered that a sync flow may carry, stored before the webhook is answered.
-- (source, event_id) is unique: the same event twice is stored once. status: PENDING until the sync-flows route
-- has carried it (CARRIED), or found it an echo of leadsync's own write (ECHO), older than a change of the same lead
-- carried already (STALE), or of no flow (IGNORED); outcome says which updates it became, or why not.
create table webhook_event (
    seq         bigint generated always as identity primary key,
    id          text    not null unique,
    source      text    not null,
    event_id    text    not null,
    event_type  text    not null,
    phone       text    not null,
    stage       text    not null,
    event_time  bigint  not null,
    received_at bigint  not null,
    status      text    not null,
    outcome     text,
    body        text    not null,
    unique (source, event_id)
);
-- The events to carry, in the sources' own time order.
create index webhook_event_pending on webhook_event (event_time, seq) where status = 'PENDING';
-- The latest change of a lead carried so far (an older one arriving late is STALE).
create index webhook_event_lead on webhook_event (source, phone, event_time) where status = 'CARRIED';
create index webhook_event_finished on webhook_event (received_at) where status <> 'PENDING';
-- What a flow wrote to a CRM lately, to know an echo of it when the CRM reports it back.
create index lead_update_sync on lead_update (lead_key, updated_at) where origin like 'sync flow %';
