"""The database's own guard on place codes: bulk updates, raw SQL and a shell bypass
``Place.save()``, so the database refuses them too.

- A place's code, parent and level change only while an open :class:`PlaceRecode` row of
  the same transaction permits exactly that change (``do_recode_place`` writes it, rewrites
  the codes and closes it before committing).
- A new place's code extends its parent's code.

Installed by migration 0003 and again after every ``migrate`` (SQLite drops a table's
triggers when a later migration rebuilds the table); ``tests/places/test_place_immutable.py``
fails if they are missing.
"""

from __future__ import annotations

# A row may change when an open recode covers it: the recoded place itself takes the new
# code, parent and level; a place below it keeps its parent and level and only has the old
# prefix of its code replaced by the new.
_PERMITTED = """
EXISTS (
    SELECT 1 FROM places_placerecode r
    WHERE r.open
      AND substr(OLD.code, 1, length(r.old_code)) = r.old_code
      AND NEW.code = r.new_code || substr(OLD.code, length(r.old_code) + 1)
      AND (
        (OLD.code = r.old_code AND NEW.level = r.new_level
         AND NEW.parent_id {same} r.new_parent_id)
        OR (OLD.code <> r.old_code AND NEW.level = OLD.level
            AND NEW.parent_id {same} OLD.parent_id)
      )
)"""

_EXTENDS_PARENT = """
EXISTS (
    SELECT 1 FROM places_place p
    WHERE p.id = NEW.parent_id
      AND length(NEW.code) > length(p.code)
      AND substr(NEW.code, 1, length(p.code)) = p.code
)"""

CHANGED_MESSAGE = "place code, parent and level change only through do_recode_place"
PARENT_MESSAGE = "a place code must extend the code of its parent"

SQLITE = [
    f"""
CREATE TRIGGER IF NOT EXISTS places_place_identity_fixed
BEFORE UPDATE OF code, parent_id, level ON places_place FOR EACH ROW
WHEN (NEW.code IS NOT OLD.code OR NEW.parent_id IS NOT OLD.parent_id
      OR NEW.level IS NOT OLD.level)
  AND NOT {_PERMITTED.format(same="IS")}
BEGIN SELECT RAISE(ABORT, '{CHANGED_MESSAGE}'); END
""",
    f"""
CREATE TRIGGER IF NOT EXISTS places_place_code_extends_parent
BEFORE INSERT ON places_place FOR EACH ROW
WHEN NEW.parent_id IS NOT NULL AND NOT {_EXTENDS_PARENT}
BEGIN SELECT RAISE(ABORT, '{PARENT_MESSAGE}'); END
""",
]

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION places_place_identity_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.parent_id IS NOT NULL AND NOT {_EXTENDS_PARENT} THEN
            RAISE EXCEPTION '{PARENT_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF (NEW.code IS DISTINCT FROM OLD.code OR NEW.parent_id IS DISTINCT FROM OLD.parent_id
           OR NEW.level IS DISTINCT FROM OLD.level)
          AND NOT {_PERMITTED.format(same="IS NOT DISTINCT FROM")} THEN
        RAISE EXCEPTION '{CHANGED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
""",
    "DROP TRIGGER IF EXISTS places_place_identity_guard ON places_place",
    """
CREATE TRIGGER places_place_identity_guard
BEFORE INSERT OR UPDATE OF code, parent_id, level ON places_place
FOR EACH ROW EXECUTE FUNCTION places_place_identity_guard()
""",
]

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS places_place_identity_fixed",
        "DROP TRIGGER IF EXISTS places_place_code_extends_parent",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS places_place_identity_guard ON places_place",
        "DROP FUNCTION IF EXISTS places_place_identity_guard()",
    ],
}


def install(connection) -> None:
    """Create (or replace) the triggers on ``connection``'s database; idempotent."""
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no place-code guard for {connection.vendor}")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP.get(connection.vendor, []):
            cursor.execute(sql)
