-- The crawler that holds the writer lock, and the URL at which the standbys forward requests to
-- it. One row, rewritten by each new writer.
create table crawler_writer (
    id       integer     primary key default 1 check (id = 1),
    instance text        not null,
    url      text        not null,
    since    timestamptz not null
);
