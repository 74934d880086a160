-- The application connects as a non-superuser so row-level security applies.
CREATE ROLE prm LOGIN PASSWORD 'prm' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE prm OWNER prm;
