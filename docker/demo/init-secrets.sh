#!/bin/sh
# Creates the compose demo's secrets once, at random, as files on the rip-secrets volume (never in compose.yaml, never
# in the repository), each readable only by the containers that need it:
#   db-password      runner (uid 10001) and PostgreSQL (gid 999)
#   sftp-password    runner; the SFTP server reads sftp-users.conf as root
#   dashboard-token  runner and Prometheus (gid 65534), which sends it as a bearer token
#   grafana-admin    Grafana (uid 472)
#   emulator-client-secret, emulator-truststore-password   profile "cluster": the emulator and the runners
# An existing file is kept: delete the volume (docker compose down -v) to start over.
set -eu
cd /secrets
new() {
    # name owner:group: 32 random bytes, base64 without line breaks or '/', '+', '=' (safe in URLs and configs)
    if [ ! -s "$1" ]; then
        head -c 32 /dev/urandom | base64 | tr -d '\n/+=' > "$1"
        echo "created secret $1"
    fi
    chown "$2" "$1"
    chmod 0440 "$1"
}
new db-password 10001:999
new sftp-password 10001:0
new dashboard-token 10001:65534
new grafana-admin 472:0
new emulator-client-secret 10001:0
# the emulator's trust store holds only its public certificate; its password is the emulator's fixed one
if [ ! -s emulator-truststore-password ]; then printf 'emulator' > emulator-truststore-password; fi
chown 10001:0 emulator-truststore-password
chmod 0440 emulator-truststore-password
# atmoz/sftp's user list: partner, its password, uid 1001, gid 100, and the upload folder the runner takes files from
printf 'partner:%s:1001:100:upload\n' "$(cat sftp-password)" > sftp-users.conf
chmod 0400 sftp-users.conf
