package io.sluice.samples;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/** Deterministic log-like text for the compression tests: compressible, but not one line repeated. */
public final class LogText {

    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] EVENTS = {"accepted connection", "request served", "cache miss", "retrying upstream",
            "session expired", "slow response"};

    private LogText() {
    }

    /** At least {@code size} bytes of UTF-8 log lines; the same for the same size, run after run. */
    public static byte[] ofAtLeast(int size) {
        Random random = new Random(size);
        StringBuilder text = new StringBuilder(size + 200);
        long millis = 1_700_000_000_000L;
        while (text.length() < size) {
            millis += random.nextInt(50);
            text.append(String.format(Locale.ROOT, "%d %-5s [worker-%d] %s id=%08x bytes=%d%n", millis,
                    LEVELS[random.nextInt(LEVELS.length)], random.nextInt(8), EVENTS[random.nextInt(EVENTS.length)],
                    random.nextInt(), random.nextInt(100_000)));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
