-- The naming mirror (DESIGN.md "The log, mirrors and witnesses").
--
-- log_entry and log_node are the log: append-only, guarded below. A log_node id packs the
-- subtree's level into the top byte and its index below: (level << 56) | index. Level 0 holds
-- the leaf hashes, so a proof of any size reads O(log n) rows in one query.

CREATE TABLE log_entry (
    idx         bigint      PRIMARY KEY,
    leaf_hash   bytea       NOT NULL UNIQUE,
    entry       bytea       NOT NULL,
    source      text        NOT NULL,
    appended_at timestamptz NOT NULL
);

CREATE TABLE log_node (
    id   bigint PRIMARY KEY,
    hash bytea  NOT NULL
);

-- Every checkpoint the mirror signed; the newest is the one it serves.
CREATE TABLE log_checkpoint (
    size      bigint      PRIMARY KEY,
    root      bytea       NOT NULL,
    note      text        NOT NULL,
    signed_at timestamptz NOT NULL
);

-- Cosignatures peers returned for this mirror's checkpoints.
CREATE TABLE log_cosignature (
    size        bigint      NOT NULL REFERENCES log_checkpoint (size),
    witness     text        NOT NULL,
    line        text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (size, witness)
);

CREATE FUNCTION canopy_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the naming log is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE TRIGGER log_entry_append_only BEFORE UPDATE OR DELETE ON log_entry
    FOR EACH ROW EXECUTE FUNCTION canopy_append_only();
CREATE TRIGGER log_entry_no_truncate BEFORE TRUNCATE ON log_entry
    FOR EACH STATEMENT EXECUTE FUNCTION canopy_append_only();
CREATE TRIGGER log_node_append_only BEFORE UPDATE OR DELETE ON log_node
    FOR EACH ROW EXECUTE FUNCTION canopy_append_only();
CREATE TRIGGER log_node_no_truncate BEFORE TRUNCATE ON log_node
    FOR EACH STATEMENT EXECUTE FUNCTION canopy_append_only();
CREATE TRIGGER log_checkpoint_append_only BEFORE UPDATE OR DELETE ON log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION canopy_append_only();
CREATE TRIGGER log_checkpoint_no_truncate BEFORE TRUNCATE ON log_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION canopy_append_only();

-- What this mirror verified of each peer's log: the newest signed checkpoint, and how far it has
-- followed the entries (with the right edge of the peer's tree at that point).
CREATE TABLE peer_log (
    origin        text        PRIMARY KEY,
    url           text        NOT NULL,
    checkpoint    text,
    size          bigint      NOT NULL DEFAULT 0,
    root          bytea,
    synced        bigint      NOT NULL DEFAULT 0,
    frontier      bytea       NOT NULL DEFAULT '',
    cosigned_size bigint      NOT NULL DEFAULT 0,
    last_sync     timestamptz,
    last_error    text
);

-- The newest checkpoint of each peer this mirror cosigned as a witness.
CREATE TABLE witness_state (
    origin     text        PRIMARY KEY,
    size       bigint      NOT NULL,
    root       bytea       NOT NULL,
    checkpoint text        NOT NULL,
    cosigned_at timestamptz NOT NULL
);

-- Proof that a peer misbehaved; a peer with evidence is neither synced nor cosigned.
CREATE TABLE evidence (
    id       bigserial   PRIMARY KEY,
    origin   text        NOT NULL,
    kind     text        NOT NULL,
    detail   text        NOT NULL,
    first    text,
    second   text,
    found_at timestamptz NOT NULL
);
CREATE INDEX evidence_origin ON evidence (origin);
