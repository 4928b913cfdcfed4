-- The same change as db/store/sqlite/V7__lead_history.sql, the embedded default: what an update's receipt overwrites
-- (failed attempts with the CRM's answer; an update's life before its dead letter was replayed or deleted), kept for
-- a lead's timeline in the console.
create table lead_history (
    seq         bigint generated always as identity primary key,
    update_id   text    not null,
    happened_at bigint  not null,
    kind        text    not null,
    status      text,
    attempt     integer,
    http_status integer,
    detail      text
);
create index lead_history_update on lead_history (update_id, happened_at);
create index lead_history_at on lead_history (happened_at);
-- A lead's timeline pages by (time, seq): the seq makes the cursor exact when several events share a millisecond.
-- SQLite's indexes hold the rowid (seq) already.
drop index lead_update_phone;
create index lead_update_phone on lead_update (phone, accepted_at, seq);
drop index webhook_event_phone;
create index webhook_event_phone on webhook_event (phone, received_at, seq);
