package io.github.rip.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import io.github.rip.support.InvalidConfigurationException;

/**
 * The runner's name in the cluster (setting {@code rip.node.id}): recorded on every claim and export message, used as
 * the Quartz scheduler's instance id and as the owner of inbox locks. Default: host name + process id, which is unique
 * on one machine and stays readable on the dashboard; a container or service that wants a name that survives restarts
 * sets it.
 */
public final class NodeId {

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private NodeId() {
    }

    /** The configured id, checked; or host-pid when none is configured. */
    public static String resolve(String configured, String source) {
        if (configured == null || configured.isBlank()) {
            return (host() + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9._-]", "-");
        }
        String id = configured.trim();
        if (!ACCEPTED.matcher(id).matches()) {
            throw new InvalidConfigurationException(source + ": rip.node.id=" + id + " is not accepted: 1 to 100 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit (empty = host name and "
                    + "process id)");
        }
        return id;
    }

    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "runner";
        }
    }
}
