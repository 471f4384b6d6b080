package io.sluice.spring.boot;

/**
 * A configured server could not start listening, typically because its port is in use. Thrown from the application
 * context's start; the starter's failure analyzer turns it into a report naming the server, the address and the
 * property to change.
 */
public class SluiceServerBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String serverName;
    private final String host;
    private final int port;

    /**
     * @param host the address the server tried to bind, or {@code null} if unknown
     * @param port the port it tried, or -1 if unknown
     */
    public SluiceServerBindException(String serverName, String host, int port, Throwable cause) {
        super("Sluice server '" + serverName + "' could not bind "
                + (host != null ? host + ":" + port : "its address") + ": " + rootMessage(cause), cause);
        this.serverName = serverName;
        this.host = host;
        this.port = port;
    }

    public String serverName() {
        return serverName;
    }

    /** The address the server tried to bind, or {@code null} if unknown. */
    public String host() {
        return host;
    }

    /** The port the server tried to bind, or -1 if unknown. */
    public int port() {
        return port;
    }

    /** Whether something else already listens on the address. */
    public boolean addressInUse() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
