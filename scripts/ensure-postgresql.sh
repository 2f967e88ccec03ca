#!/bin/sh
# Make sure the feedback-store tests have PostgreSQL's server binaries (initdb, pg_ctl).
# The tests start a throwaway server of their own; nothing is started here. Installs Debian's
# postgresql package with apt when running as root and they are missing; otherwise says why
# the PostgreSQL tests will be skipped. Always exits 0: the tests report the skip themselves.
set -u

found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ]; then
    echo "ensure-postgresql: server binaries in $found"
    exit 0
fi
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    echo "ensure-postgresql: server binaries on PATH ($(command -v initdb))"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-postgresql: initdb/pg_ctl missing and not root; PostgreSQL tests will be skipped" \
        "(install the Debian package postgresql to run them)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgresql: initdb/pg_ctl missing and no apt-get; PostgreSQL tests will be skipped"
    exit 0
fi
echo "ensure-postgresql: installing postgresql with apt-get"
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql >/dev/null; then
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    echo "ensure-postgresql: installed $("$found/postgres" --version 2>/dev/null)"
else
    echo "ensure-postgresql: apt-get could not install postgresql; PostgreSQL tests will be skipped"
fi
exit 0
