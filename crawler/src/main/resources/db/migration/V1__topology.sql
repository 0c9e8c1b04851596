-- Crawl runs, the nodes and links they saw, and the name records harvested from NodeInfo.
-- Keys are 64 lower-case hex digits. Hidden nodes (canopy.hide) are kept only as a hash.

create table crawl (
    id              bigserial primary key,
    status          text        not null check (status in ('running', 'complete', 'partial', 'failed')),
    started_at      timestamptz not null,
    finished_at     timestamptz,
    admin_endpoint  text        not null,
    local_key       text,
    admin_version   text,
    nodes           integer     not null default 0,
    links           integer     not null default 0,
    records         integer     not null default 0,
    invalid_records integer     not null default 0,
    hidden          integer     not null default 0,
    responded       integer     not null default 0,
    calls           integer     not null default 0,
    errors          integer     not null default 0,
    failure         text,
    error_sample    jsonb
);
create index crawl_finished on crawl (finished_at desc) where status in ('complete', 'partial');

-- NodeInfo objects, stored once per distinct content: crawls refer to them by hash.
create table nodeinfo (
    hash            bytea primary key,
    content         jsonb            not null,
    name            text,
    lat             double precision,
    lon             double precision,
    location_text   text,
    island          text,
    version         text
);

create table node (
    key             text primary key check (key ~ '^[0-9a-f]{64}$'),
    address         text        not null,
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    last_crawl      bigint      not null references crawl (id),
    responded       text        not null check (responded in ('local', 'yes', 'no')),
    nodeinfo_hash   bytea references nodeinfo (hash)
);
create index node_address on node (address);

create table hidden_node (
    key_hash        bytea primary key,
    first_seen      timestamptz not null,
    last_seen       timestamptz not null
);

create table link (
    a               text        not null,
    b               text        not null,
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    primary key (a, b),
    check (a < b)
);

-- Membership: which nodes and links each crawl saw, so any past crawl can be reproduced.
create table crawl_node (
    crawl_id        bigint not null references crawl (id) on delete cascade,
    key             text   not null,
    responded       text   not null check (responded in ('local', 'yes', 'no')),
    nodeinfo_hash   bytea references nodeinfo (hash),
    primary key (crawl_id, key)
);

create table crawl_link (
    crawl_id        bigint not null references crawl (id) on delete cascade,
    a               text   not null,
    b               text   not null,
    primary key (crawl_id, a, b)
);

create table harvested_record (
    note_hash       bytea primary key,
    note            text        not null,
    found_at        text        not null,
    name            text,
    valid           boolean     not null,
    reason          text,
    detail          text,
    first_seen      timestamptz not null,
    last_seen       timestamptz not null,
    last_crawl      bigint      not null references crawl (id)
);
create index harvested_record_crawl on harvested_record (last_crawl);

create table crawl_record (
    crawl_id        bigint not null references crawl (id) on delete cascade,
    note_hash       bytea  not null references harvested_record (note_hash),
    primary key (crawl_id, note_hash)
);
