package io.sluice.filters.fuzz;

import java.util.List;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/**
 * Captures what Reactor's {@code Loggers} log while it is open, so that a fuzz test can check that each input
 * rejected gave exactly one clear WARN line. Open one per test and close it at the end (try-with-resources).
 */
public final class WarnLines implements AutoCloseable {

    private final TestLogger log = new TestLogger(false);

    private WarnLines() {
    }

    /** Starts capturing; loggers looked up from now on write here. */
    public static WarnLines capture() {
        WarnLines lines = new WarnLines();
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(lines.log);
        return lines;
    }

    /** The WARN lines logged since the last {@link #take()}, without their level prefix, and forgets them. */
    public List<String> take() {
        String err = log.getErrContent();
        log.reset();
        return err.lines()
                .filter(l -> l.startsWith("[ WARN] "))
                .map(l -> l.substring("[ WARN] ".length()))
                .toList();
    }

    @Override
    public void close() {
        LoggerUtils.disableCapture();
    }
}
