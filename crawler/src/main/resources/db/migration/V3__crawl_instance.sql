-- Which crawler process ran a crawl (host:pid). Several crawlers may share a database, one of them
-- the writer at a time; this shows which one was.
alter table crawl add column instance text;
