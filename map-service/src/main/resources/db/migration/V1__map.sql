-- What the map service has observed, with its source and time. Keys are 64 lower-case hex
-- digits. The in-memory model is rebuilt from these tables at start.

-- The last accepted report of each key: replay protection (seq, time) and the report itself,
-- which stays the node's latest word until a newer one arrives.
create table report (
    key             text primary key check (key ~ '^[0-9a-f]{64}$'),
    seq             numeric(20) not null,
    reported_at     timestamptz not null,
    received_at     timestamptz not null,
    note            text        not null
);

-- The last topology each crawler served, as served (bounded in size by the poller).
create table crawler_topology (
    url             text primary key,
    etag            text,
    fetched_at      timestamptz not null,
    body            bytea       not null
);

-- Every node ever seen and what was last known of it, so that offline and lost nodes stay on the
-- map with their last name and place. sources: e.g. {report, crawler:http://...}.
create table node_seen (
    key             text primary key check (key ~ '^[0-9a-f]{64}$'),
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    info            jsonb       not null
);

-- Every link ever seen (a < b), and its kind as last known.
create table link_seen (
    a               text        not null,
    b               text        not null,
    kind            text        not null check (kind in ('local', 'overlay')),
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    primary key (a, b),
    check (a < b)
);

-- Link metrics from reports, downsampled to 5-minute buckets and kept for 24 hours. reporter is
-- the key whose report measured it (each end measures its own round trip).
create table link_metric (
    a               text             not null,
    b               text             not null,
    reporter        text             not null,
    bucket          timestamptz      not null,
    samples         integer          not null,
    latency_sum     double precision not null,
    latency_n       integer          not null,
    quality_sum     double precision not null,
    quality_n       integer          not null,
    -- Each end writes its own row: both ends updating one row made reports queue on its lock.
    primary key (a, b, bucket, reporter)
);
create index link_metric_bucket on link_metric (bucket);

-- Islands as last computed, so that ids and names survive restarts.
create table island (
    id              text primary key,
    name            text        not null,
    declared        boolean     not null,
    members         text[]      not null,
    updated_at      timestamptz not null
);
