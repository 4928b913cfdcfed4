-- A lead's timeline in the console (io.leadsync.console): every update of one phone, whatever its target or status,
-- and the dead letters and webhook events that go with it, each read through an index. phone holds the update's
-- phone as digits only (how lead_key writes it), so "+91 99999-99999" and "919999999999" are one lead.
alter table lead_update add column phone text;
update lead_update set phone = replace(replace(replace(replace(replace(replace(json_extract(body, '$.phone'),
        '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')
    where body is not null and json_valid(body);
create index lead_update_phone on lead_update (phone, accepted_at);
create index dead_letter_update on dead_letter (update_id);
create index webhook_event_phone on webhook_event (phone, received_at);
-- The overview's sync flows: the latest change carried from each source.
create index webhook_event_source on webhook_event (source, received_at);
-- The overview's counts: finished updates of one target and status since a time, counted inside the index.
create index lead_update_finished_by_target on lead_update (target, status, updated_at) where status <> 'PENDING';
