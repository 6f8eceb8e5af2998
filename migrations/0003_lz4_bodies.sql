-- Bodies over the TOAST threshold (~2 kB: most pods once they have a status) were compressed with
-- pglz on every write, twice (objects and changes): 8% of the database's CPU under the hollow-node
-- Job benchmark. lz4 compresses several times faster for a similar ratio on JSON. Applies to values
-- written from now on; older ones stay readable as they are.
ALTER TABLE objects ALTER COLUMN body SET COMPRESSION lz4;
ALTER TABLE changes ALTER COLUMN body SET COMPRESSION lz4;
