-- Leads exported from the CRMs: one row per lead, upserted by each run.
create table lead (
    source     text        not null,
    lead_id    text        not null,
    stage      text,
    phone      text,
    name       text,
    email      text,
    fields     jsonb       not null default '{}'::jsonb,
    synced_at  timestamptz not null,
    primary key (source, lead_id)
);

-- Stage catalogs over time: a row per version of a stage; valid_to is null for the current one.
create table stage_history (
    source     text        not null,
    stage_id   text        not null,
    name       text,
    pipeline   text,
    category   text,
    position   integer,
    active     boolean     not null,
    valid_from timestamptz not null,
    valid_to   timestamptz,
    primary key (source, stage_id, valid_from)
);
create index stage_history_current on stage_history (source, stage_id) where valid_to is null;
