-- Drover's state store: current objects, the change log, and the global resourceVersion counter.
-- Keys use the "C" collation so (namespace, name) order is byte order on every database.

CREATE TABLE objects (
    resource  text COLLATE "C" NOT NULL,
    namespace text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    uid       text NOT NULL,
    rv        bigint NOT NULL,
    body      jsonb NOT NULL,
    PRIMARY KEY (resource, namespace, name)
);

-- One row per write. DELETED rows carry the object's last state stamped with the deletion's rv.
CREATE TABLE changes (
    rv        bigint PRIMARY KEY,
    type      text NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
    resource  text COLLATE "C" NOT NULL,
    namespace text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    uid       text NOT NULL,
    body      jsonb NOT NULL
);
CREATE INDEX changes_key_rv ON changes (resource, namespace, name, rv);

-- The newest committed resourceVersion and the compaction point (oldest rv still served).
CREATE TABLE store_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    current_rv   bigint NOT NULL,
    compacted_rv bigint NOT NULL
);
INSERT INTO store_state (id, current_rv, compacted_rv) VALUES (true, 0, 0);

-- `body` with metadata.resourceVersion set to `rv` as a string (metadata is created if missing).
CREATE FUNCTION drover_stamp(body jsonb, rv bigint) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(body) <> 'object' THEN body
                WHEN jsonb_typeof(body -> 'metadata') = 'object'
                    THEN jsonb_set(body, '{metadata,resourceVersion}', to_jsonb(rv::text))
                ELSE body || jsonb_build_object('metadata', jsonb_build_object('resourceVersion', rv::text))
           END
$$;

-- The string value of label `key`, or NULL when absent or not a string (as LabelSelector sees labels).
CREATE FUNCTION drover_label(body jsonb, key text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(body -> 'metadata' -> 'labels' -> key) = 'string'
                THEN body -> 'metadata' -> 'labels' ->> key END
$$;

-- A selectable field as FieldSelector reads it: strings as-is, booleans and integers as text,
-- anything else "", and a missing field `missing` ("" or "false" for boolean fields).
CREATE FUNCTION drover_field(body jsonb, path text[], missing text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN body #> path IS NULL THEN missing
                ELSE CASE jsonb_typeof(body #> path)
                    WHEN 'string' THEN body #>> path
                    WHEN 'boolean' THEN body #>> path
                    WHEN 'number' THEN CASE WHEN (body #>> path) ~ '^-?[0-9]+$' THEN body #>> path ELSE '' END
                    ELSE ''
                END
           END
$$;
