-- The database roles of implant-trace: the one place they are defined. tools/infra/up.sh
-- applies this file locally, and docker-compose's postgres runs it when it initialises.
-- Safe to run any number of times, and concurrently (roles are cluster-wide).
--
--   schema owner            runs migrations (DATABASE_MIGRATION_URL, or the production
--                           migration step); here the postgres superuser.
--   implant_trace_app       NOLOGIN; holds what each service schema's migrations grant
--                           (ServiceRolePrivileges migration in libs/platform/auth): read and
--                           write the schema's tables, but only SELECT and INSERT on audit_log.
--   implant_trace_service   LOGIN; what every service connects as (DATABASE_URL). A member of
--                           implant_trace_app that owns nothing and is no superuser, so it
--                           cannot alter tables or their triggers (ALTER TABLE ... DISABLE
--                           TRIGGER) nor set session_replication_role.
DO $$ BEGIN
  CREATE ROLE implant_trace_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$ BEGIN
  CREATE ROLE implant_trace_service LOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- Attributes restated, so a role created by hand earlier is brought to least privilege.
ALTER ROLE implant_trace_service
  LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
GRANT implant_trace_app TO implant_trace_service;
