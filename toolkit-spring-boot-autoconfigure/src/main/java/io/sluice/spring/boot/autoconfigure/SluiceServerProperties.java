package io.sluice.spring.boot.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Settings of one server, under {@code sluice.servers.<name>}. The defaults are {@link io.sluice.reactor.Server}'s.
 * Filters are stacked in a fixed order, socket first: TLS, compression, then framing or a WebSocket endpoint.
 */
public class SluiceServerProperties {

    /** Whether this server runs; false leaves it out without removing its settings. */
    private boolean enabled = true;

    /** Address to listen on; 0.0.0.0 listens on every interface. */
    private String host = "127.0.0.1";

    /** Port to listen on; 0 picks a free one (read it back from SluiceServers). */
    private int port = 0;

    /** Connections open at once; further ones are closed on accept and counted as refused. */
    private int maxConnections = 10_000;

    /** Closes connections that neither read nor wrote for this long; unset or 0 disables it. */
    private Duration idleTimeout;

    /** Event-loop threads of this server; one per processor when unset. */
    private Integer eventLoopThreads;

    /** Length of the accept queue. */
    private int backlog = 1024;

    /** Memory each connection may hold before it stops reading. */
    @NestedConfigurationProperty
    private BudgetProperties budget = new BudgetProperties();

    /** The PROXY protocol header before each connection's first byte; off unless enabled. */
    @NestedConfigurationProperty
    private ProxyProtocolProperties proxyProtocol = new ProxyProtocolProperties();

    /** Byte rates of every connection, nearest the socket; off unless a rate is set. */
    @NestedConfigurationProperty
    private RateLimitProperties rateLimit = new RateLimitProperties();

    /** TLS of every connection; off unless enabled. */
    @NestedConfigurationProperty
    private TlsProperties tls = new TlsProperties();

    /** Stream compression of every connection, both ways; off unless a codec is set. */
    @NestedConfigurationProperty
    private CompressionProperties compression = new CompressionProperties();

    /** Message framing on top of the byte stream; none by default. */
    @NestedConfigurationProperty
    private FramingProperties framing = new FramingProperties();

    /** A WebSocket endpoint in framing's place; off unless its path is set. */
    @NestedConfigurationProperty
    private WebSocketProperties websocket = new WebSocketProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Integer getEventLoopThreads() {
        return eventLoopThreads;
    }

    public void setEventLoopThreads(Integer eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    public int getBacklog() {
        return backlog;
    }

    public void setBacklog(int backlog) {
        this.backlog = backlog;
    }

    public BudgetProperties getBudget() {
        return budget;
    }

    public void setBudget(BudgetProperties budget) {
        this.budget = budget;
    }

    public ProxyProtocolProperties getProxyProtocol() {
        return proxyProtocol;
    }

    public void setProxyProtocol(ProxyProtocolProperties proxyProtocol) {
        this.proxyProtocol = proxyProtocol;
    }

    public RateLimitProperties getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(RateLimitProperties rateLimit) {
        this.rateLimit = rateLimit;
    }

    public CompressionProperties getCompression() {
        return compression;
    }

    public void setCompression(CompressionProperties compression) {
        this.compression = compression;
    }

    public FramingProperties getFraming() {
        return framing;
    }

    public void setFraming(FramingProperties framing) {
        this.framing = framing;
    }

    public TlsProperties getTls() {
        return tls;
    }

    public void setTls(TlsProperties tls) {
        this.tls = tls;
    }

    public WebSocketProperties getWebsocket() {
        return websocket;
    }

    public void setWebsocket(WebSocketProperties websocket) {
        this.websocket = websocket;
    }
}
