#!/bin/sh
# Installs the Recurring Integrations Pack as a systemd service, from the unpacked release archive
# (recurring-integrations-pack-<version>.tar.gz), in one go: the user, the folders, the files and the unit.
#
#   sudo ./install.sh             install, or upgrade in place, then systemctl enable --now
#   sudo ./install.sh --no-start  the same without starting (configure first, then systemctl enable --now ...)
#   ./install.sh --root DIR       lay the files out under DIR only (packaging, tests): no user, no systemctl
#
# An upgrade replaces the jar and the unit and restarts the service; it never overwrites application.properties,
# log4j2.properties, routes/, transforms/, the env file or the credentials (new defaults land next to them as
# *.dist). The layout is described at the top of recurring-integrations-pack.service.
set -eu

NAME=recurring-integrations-pack
SERVICE_USER=rip
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=
START=yes
while [ $# -gt 0 ]; do
    case $1 in
        --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
        --no-start) START=no; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

OPT=$ROOT/opt/$NAME
ETC=$ROOT/etc/$NAME
UNIT_DIR=$ROOT/etc/systemd/system

for file in "$NAME.jar" application.properties log4j2.properties "$NAME.service" routes transforms; do
    [ -e "$HERE/$file" ] || { echo "install.sh: $HERE/$file is missing; run me from the unpacked release" >&2; exit 1; }
done

if [ -z "$ROOT" ]; then
    [ "$(id -u)" = 0 ] || { echo "install.sh: run as root (sudo), or with --root DIR" >&2; exit 1; }
    command -v java >/dev/null 2>&1 || echo "install.sh: WARNING no java on PATH; the unit runs /usr/bin/java (17+)" >&2
    if ! getent passwd "$SERVICE_USER" >/dev/null; then
        # a system account without login or home: the service's files are its StateDirectory and LogsDirectory
        useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \
            --comment "Recurring Integrations Pack" "$SERVICE_USER"
        echo "created system user $SERVICE_USER"
    fi
    GROUP=$SERVICE_USER
else
    GROUP=$(id -gn)
fi

# install MODE SOURCE TARGET: copy a file with its mode, owned by root and readable by the service's group
put() {
    install -m "$1" "$2" "$3"
    if [ -z "$ROOT" ]; then chown "root:$GROUP" "$3"; fi
}
# like put, but an existing TARGET is the operator's: the new version goes next to it as TARGET.dist
put_config() {
    if [ -e "$3" ]; then put "$1" "$2" "$3.dist"; echo "kept $3 (new default: $3.dist)"; else put "$1" "$2" "$3"; fi
}
folder() {
    install -d -m "$1" "$2"
    if [ -z "$ROOT" ]; then chown "root:$GROUP" "$2"; fi
}

folder 0755 "$OPT"
put 0644 "$HERE/$NAME.jar" "$OPT/$NAME.jar"
[ -e "$HERE/INSTALL.txt" ] && put 0644 "$HERE/INSTALL.txt" "$OPT/INSTALL.txt"

# configuration: read by the service (group), written by root only (ProtectSystem=strict makes it read-only anyway)
folder 0750 "$ETC"
put_config 0640 "$HERE/application.properties" "$ETC/application.properties"
put_config 0640 "$HERE/log4j2.properties" "$ETC/log4j2.properties"
for dir in routes transforms; do
    if [ -e "$ETC/$dir" ]; then
        echo "kept $ETC/$dir (the release's copy is in $HERE/$dir)"
    else
        folder 0750 "$ETC/$dir"
        for file in "$HERE/$dir"/*; do [ -f "$file" ] && put 0640 "$file" "$ETC/$dir/$(basename "$file")"; done
    fi
done
# host keys of SFTP servers (rip.sftp.known-hosts-file = sftp/known_hosts, relative to the working directory)
folder 0750 "$ETC/sftp"
[ -e "$ETC/sftp/known_hosts" ] || put 0640 /dev/null "$ETC/sftp/known_hosts"
# secrets: one file per setting, read by systemd as root (LoadCredential=), never by the service user directly
install -d -m 0700 "$ETC/credentials"
if [ ! -e "$ETC/env" ]; then
    cat > "$ETC/env" <<'EOF'
# Settings of the service (systemd EnvironmentFile=): NAME=value, one a line, overriding application.properties.
# Secrets do not belong here: put each in /etc/recurring-integrations-pack/credentials/<setting> (mode 600), e.g.
#   credentials/d365.client-secret   credentials/rip.db.password   credentials/sftp.partner-a.password
#D365_BASE_URL=https://contoso.operations.dynamics.com
#D365_TENANT=contoso.onmicrosoft.com
#D365_CLIENT_ID=00000000-0000-0000-0000-000000000000
#RIP_DB_URL=jdbc:postgresql://localhost:5432/rip
#RIP_DB_USER=rip
#RIP_LOG_FORMAT=json
#RIP_LOG_FILE=text
EOF
    chmod 0600 "$ETC/env"
fi

folder 0755 "$UNIT_DIR"
install -m 0644 "$HERE/$NAME.service" "$UNIT_DIR/$NAME.service"
echo "installed $NAME into ${ROOT:-/} (jar $OPT, configuration $ETC, unit $UNIT_DIR/$NAME.service)"

if [ -n "$ROOT" ]; then
    exit 0
fi
if [ ! -d /run/systemd/system ]; then
    echo "systemd is not running here: start the service with systemctl enable --now $NAME where it is"
    exit 0
fi
systemctl daemon-reload
if [ "$START" = yes ]; then
    systemctl enable "$NAME"
    # a running service (an upgrade) is stopped gracefully and started on the new jar
    systemctl restart "$NAME"
    systemctl --no-pager --lines=5 status "$NAME" || true
    echo "logs: journalctl -u $NAME -f"
else
    echo "next: edit $ETC/application.properties (and env, credentials/), then systemctl enable --now $NAME"
fi
