-- The same change as db/store/sqlite/V6__lead_timeline.sql, the embedded default: a lead's timeline in the console
-- (io.leadsync.console) reads every update of one phone (digits only, as lead_key writes it), and the dead letters
-- and webhook events that go with it, each through an index.
alter table lead_update add column phone text;
update lead_update set phone = regexp_replace(body::json ->> 'phone', '[^0-9]', '', 'g') where body is not null;
create index lead_update_phone on lead_update (phone, accepted_at);
create index dead_letter_update on dead_letter (update_id);
create index webhook_event_phone on webhook_event (phone, received_at);
-- The overview's sync flows: the latest change carried from each source.
create index webhook_event_source on webhook_event (source, received_at);
-- The overview's counts: finished updates of one target and status since a time, counted inside the index.
create index lead_update_finished_by_target on lead_update (target, status, updated_at) where status <> 'PENDING';
