-- TeleCRM's stage changes (SQLite, the embedded default). The same tables as db/migration/V5__telecrm_stages_seen.sql
-- for PostgreSQL; times are Unix milliseconds in both.

-- TeleCRM sends no webhooks: leadsync walks its leads (io.leadsync.telecrm.TelecrmChanges) and compares each lead's
-- stage with the last one it saw here. A different stage becomes a webhook_event (source telecrm) in the same
-- transaction that records it, so a walk cut short never reports a change twice nor loses one.
create table telecrm_stage_seen (
    lead_id text    primary key,
    stage   text    not null,
    seen_at integer not null
);
-- How far the walks got: 'full' = when the last walk of every lead finished (none yet: the next walk is the first,
-- which records stages without reporting changes); 'created_on' = the newest created_on read, where the walk of new
-- leads starts.
create table telecrm_walk (
    name  text    primary key,
    value integer not null
);
