package io.sluice.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * A WebSocket endpoint, under {@code sluice.servers.<name>.websocket}: on when {@link #getPath() path} is set. It
 * takes framing's place above TLS and compression, and the server's handler is then a
 * {@link io.sluice.spring.boot.SluiceWebSocketHandler} bean. The defaults are {@link io.sluice.websocket.WebSocketServer}'s.
 */
public class WebSocketProperties {

    /** Path where upgrades are accepted (/chat); other paths get 404. Unset: no WebSocket endpoint. */
    private String path;

    /** Where the endpoint runs: its own port (the server's host and port), or mounted on the WebFlux server. */
    private WebSocketMount mount = WebSocketMount.PORT;

    /** Subprotocols spoken, most preferred first. */
    private List<String> subprotocols = new ArrayList<>();

    /** Origins whose pages may connect (https://example.com); others get 403. Empty: any origin. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Largest frame accepted; larger ones close the session with 1009. */
    private DataSize maxFrameSize = DataSize.ofMegabytes(1);

    /** Largest message accepted, its fragments together; larger ones close the session with 1009. */
    private DataSize maxMessageSize = DataSize.ofMegabytes(1);

    /** How long a client has to send its whole upgrade request (408 after). */
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** Keep-alive pings every so often; 0 turns them off. */
    private Duration pingInterval = Duration.ZERO;

    /** How long a ping may go unanswered before the connection is dropped. */
    private Duration pongTimeout = Duration.ofSeconds(10);

    /** How long the closing handshake may take before the connection is dropped. */
    private Duration closeTimeout = Duration.ofSeconds(5);

    /** Whether the legacy Hixie-76 (HyBi-00) handshake is accepted, text messages only. */
    private boolean hixie76;

    /** permessage-deflate; off unless enabled. */
    @NestedConfigurationProperty
    private PermessageDeflateProperties permessageDeflate = new PermessageDeflateProperties();

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public WebSocketMount getMount() {
        return mount;
    }

    public void setMount(WebSocketMount mount) {
        this.mount = mount;
    }

    public List<String> getSubprotocols() {
        return subprotocols;
    }

    public void setSubprotocols(List<String> subprotocols) {
        this.subprotocols = subprotocols;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPongTimeout() {
        return pongTimeout;
    }

    public void setPongTimeout(Duration pongTimeout) {
        this.pongTimeout = pongTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public boolean isHixie76() {
        return hixie76;
    }

    public void setHixie76(boolean hixie76) {
        this.hixie76 = hixie76;
    }

    public PermessageDeflateProperties getPermessageDeflate() {
        return permessageDeflate;
    }

    public void setPermessageDeflate(PermessageDeflateProperties permessageDeflate) {
        this.permessageDeflate = permessageDeflate;
    }
}
