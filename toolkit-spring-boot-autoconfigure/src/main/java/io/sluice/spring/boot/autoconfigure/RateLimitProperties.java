package io.sluice.spring.boot.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * Per-connection byte rates, under {@code sluice.servers.<name>.rate-limit} ({@link
 * io.sluice.filters.shaping.RateLimit}): {@code receive-rate} and {@code send-rate} are bytes per second, each off
 * unless set (or set to 0); the filter sits nearest the socket, so it counts bytes on the wire.
 */
public class RateLimitProperties {

    /** Bytes per second each connection's socket is read at, at most; unlimited when unset. */
    private DataSize receiveRate;

    /** Bytes per second each connection writes, at most; unlimited when unset. */
    private DataSize sendRate;

    /** Bytes each direction may move at once after a quiet spell. */
    private DataSize burst = DataSize.ofBytes(io.sluice.filters.shaping.RateLimit.DEFAULT_BURST);

    public DataSize getReceiveRate() {
        return receiveRate;
    }

    public void setReceiveRate(DataSize receiveRate) {
        this.receiveRate = receiveRate;
    }

    public DataSize getSendRate() {
        return sendRate;
    }

    public void setSendRate(DataSize sendRate) {
        this.sendRate = sendRate;
    }

    public DataSize getBurst() {
        return burst;
    }

    public void setBurst(DataSize burst) {
        this.burst = burst;
    }
}
