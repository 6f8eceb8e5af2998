-- drover_stamp as PL/pgSQL. The SQL-language version could not be inlined into the write
-- statements (its argument, a jsonb cast, is used more than once), so PostgreSQL ran it through
-- fmgr_sql, which parses and plans the function body again for every statement executed: 5% of
-- the database's CPU under the scheduler benchmark. PL/pgSQL caches its plans per session.
CREATE OR REPLACE FUNCTION drover_stamp(body jsonb, rv bigint) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF jsonb_typeof(body) <> 'object' THEN
        RETURN body;
    ELSIF jsonb_typeof(body -> 'metadata') = 'object' THEN
        RETURN jsonb_set(body, '{metadata,resourceVersion}', to_jsonb(rv::text));
    ELSE
        RETURN body || jsonb_build_object('metadata', jsonb_build_object('resourceVersion', rv::text));
    END IF;
END
$$;
