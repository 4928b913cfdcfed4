-- What an update's receipt overwrites, kept for a lead's timeline in the console (io.leadsync.console): each failed
-- attempt with the CRM's answer, and when a dead letter is replayed or deleted, what the update went through before
-- (accepted, dead-lettered, replayed). Rows go with their updates when the store is pruned (index lead_history_at).
-- kind: ATTEMPT, ACCEPTED, DEAD_LETTER, REPLAYED or DELETED; status: how an attempt failed or why the update was
-- dead-lettered (UNREACHABLE, REJECTED...); attempt: the attempt's number, or the attempts made.
create table lead_history (
    seq         integer primary key autoincrement,
    update_id   text    not null,
    happened_at integer not null,
    kind        text    not null,
    status      text,
    attempt     integer,
    http_status integer,
    detail      text
);
create index lead_history_update on lead_history (update_id, happened_at);
create index lead_history_at on lead_history (happened_at);
