package io.sluice.spring.boot.autoconfigure;

import org.springframework.util.unit.DataSize;

/**
 * A connection's memory budget, under {@code sluice.servers.<name>.budget}: reading from the socket stops when the
 * connection holds {@code high-water-mark} bytes and resumes below {@code low-water-mark} (by default half of it:
 * 512KB and 256KB, as for {@link io.sluice.reactor.Server}).
 */
public class BudgetProperties {

    /** Outstanding bytes at which a connection stops reading from its socket. */
    private DataSize highWaterMark = DataSize.ofKilobytes(512);

    /** Outstanding bytes below which a connection reads again; half the high-water mark when unset. */
    private DataSize lowWaterMark;

    public DataSize getHighWaterMark() {
        return highWaterMark;
    }

    public void setHighWaterMark(DataSize highWaterMark) {
        this.highWaterMark = highWaterMark;
    }

    public DataSize getLowWaterMark() {
        return lowWaterMark;
    }

    public void setLowWaterMark(DataSize lowWaterMark) {
        this.lowWaterMark = lowWaterMark;
    }
}
