-- The three database roles of a PRM installation (docs/deployment.md), run once
-- by a superuser (the postgres image runs it on first start; psql -f elsewhere).
-- Idempotent: roles and the database are created only when missing.
--
--   prm_owner  owns the database and its tables; `manage.py migrate` runs as it
--              (DATABASE_OWNER_URL). Nothing else connects as it.
--   prm        the web role (DATABASE_URL): web, workers and beat. No superuser,
--              no BYPASSRLS, owns nothing: row-level security binds it, and it
--              can neither alter a table nor read the key that signs tenants.
--   prm_ops    the operations role (DATABASE_OPERATIONS_URL): may cross tenants
--              (BYPASSRLS), used only by code named cross_tenant() (the
--              operators' admin). Owns nothing either.
--
-- Change the passwords (ALTER ROLE ... PASSWORD) and put them in the URLs.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prm_owner') THEN
    CREATE ROLE prm_owner LOGIN PASSWORD 'prm-owner-change-me' NOSUPERUSER NOBYPASSRLS CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prm') THEN
    CREATE ROLE prm LOGIN PASSWORD 'prm-web-change-me' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prm_ops') THEN
    CREATE ROLE prm_ops LOGIN PASSWORD 'prm-ops-change-me' NOSUPERUSER BYPASSRLS NOCREATEDB;
  END IF;
END
$$;

SELECT 'CREATE DATABASE prm OWNER prm_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'prm')\gexec
