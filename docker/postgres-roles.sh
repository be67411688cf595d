#!/bin/sh
# Run by the postgres image on the db container's first start (/docker-entrypoint-initdb.d):
# the two roles of tfp/database_roles.py and the database, owned by the owner role. The
# service's role is granted its privileges by `manage.py migrate`, run as the owner.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$TFP_OWNER_PASSWORD" -v app_password="$TFP_APP_PASSWORD" <<'SQL'
CREATE ROLE tfp_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE tfp_app LOGIN PASSWORD :'app_password';
CREATE DATABASE tfp OWNER tfp_owner;
SQL
