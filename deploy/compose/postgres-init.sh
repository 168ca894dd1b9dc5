#!/bin/sh
# Run once by the postgres image on an empty data directory: creates the CRM and ERP databases
# of deploy/config/local-stack.yaml and the two dualsync users with the least privileges they
# need (README, "Deploying to production"). Passwords come from the compose secrets.
set -eu
capture_password="$(cat /run/secrets/capture_password)"
apply_password="$(cat /run/secrets/apply_password)"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v capture_password="$capture_password" -v apply_password="$apply_password" <<'SQL'
CREATE ROLE dualsync_capture LOGIN REPLICATION PASSWORD :'capture_password';
CREATE ROLE dualsync_apply LOGIN PASSWORD :'apply_password';
CREATE DATABASE crm;
CREATE DATABASE erp;
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname crm <<'SQL'
CREATE TABLE account (id serial PRIMARY KEY, account_number text NOT NULL UNIQUE, name text, credit_limit numeric(38,10));
GRANT SELECT ON account TO dualsync_capture;
-- Debezium creates the publication dualsync_crm FOR TABLE public.account at the first start,
-- which PostgreSQL allows only to the table's owner. Here the owner creates it beforehand instead.
CREATE PUBLICATION dualsync_crm FOR TABLE public.account;
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname erp <<'SQL'
CREATE TABLE customer (no text PRIMARY KEY, name text, credit_limit numeric(38,10));
GRANT SELECT, INSERT, UPDATE, DELETE ON customer TO dualsync_apply;
-- apply creates its bookkeeping schema "dualsync" at the first start
GRANT CREATE ON DATABASE erp TO dualsync_apply;
SQL
