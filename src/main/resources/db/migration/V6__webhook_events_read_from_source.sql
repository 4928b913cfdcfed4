-- The sync flows read a lead from its source CRM when they carry its event (io.leadsync.sync.SyncFlows), so an event
-- may be stored before its phone and stage are known: a Truto record event names only the record, and an event
-- leadsync answers IGNORED (a test, an account event) has neither. Both are filled in once the lead is read.
alter table webhook_event alter column phone drop not null;
alter table webhook_event alter column stage drop not null;
-- The lead's id in its source, where the payload names it (a Truto record), to read the lead by.
alter table webhook_event add column lead_id text;
-- A lead's latest event from one source, whatever its status: a Superfone notification that repeats that one is a
-- retry; one that repeats an older one after another change is a new change (io.leadsync.webhooks.WebhookEvents).
create index webhook_event_latest on webhook_event (source, phone, seq);
