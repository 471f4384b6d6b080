package io.sluice.spring.boot.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * permessage-deflate (RFC 7692), under {@code sluice.servers.<name>.websocket.permessage-deflate}: off unless
 * enabled; when on, offers from clients are accepted as these settings say.
 */
public class PermessageDeflateProperties {

    /** Whether clients' permessage-deflate offers are accepted. */
    private boolean enabled;

    /** Messages smaller than this are sent uncompressed. */
    private DataSize threshold = DataSize.ofBytes(256);

    /** Deflate level of sent messages, 0-9. */
    private int level = 6;

    /** Whether the server resets its compressor after each message (less memory per session, worse ratio). */
    private boolean serverNoContextTakeover;

    /** Whether clients are asked to reset their compressor after each message. */
    private boolean clientNoContextTakeover;

    /** Window (8-15 bits) clients are asked to stay within, when their offer allows asking. */
    private int clientMaxWindowBits = 15;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getThreshold() {
        return threshold;
    }

    public void setThreshold(DataSize threshold) {
        this.threshold = threshold;
    }

    public int getLevel() {
        return level;
    }

    public void setLevel(int level) {
        this.level = level;
    }

    public boolean isServerNoContextTakeover() {
        return serverNoContextTakeover;
    }

    public void setServerNoContextTakeover(boolean serverNoContextTakeover) {
        this.serverNoContextTakeover = serverNoContextTakeover;
    }

    public boolean isClientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    public void setClientNoContextTakeover(boolean clientNoContextTakeover) {
        this.clientNoContextTakeover = clientNoContextTakeover;
    }

    public int getClientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    public void setClientMaxWindowBits(int clientMaxWindowBits) {
        this.clientMaxWindowBits = clientMaxWindowBits;
    }
}
