package io.sluice.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The inputs of the compression benchmarks, generated in-process from a fixed seed so that every run compresses
 * the same bytes. Each is a list of the buffers one sender writes, in order, as one stream.
 */
public enum Corpus {

    /** Chat messages as JSON, 100-300 bytes each, one buffer per message, about 1 MiB in all. */
    CHAT {
        @Override
        List<byte[]> chunks() {
            Random random = new Random(42);
            List<byte[]> messages = new ArrayList<>();
            long total = 0;
            long millis = 1_700_000_000_000L;
            while (total < MIB) {
                millis += random.nextInt(2000);
                // At most 20 words of at most 8 letters keep a message within 300 bytes.
                StringBuilder text = new StringBuilder(WORDS[random.nextInt(WORDS.length)]);
                for (int words = 2 + random.nextInt(18); words > 0; words--) {
                    text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
                }
                String json = String.format(Locale.ROOT, "{\"type\":\"message\",\"room\":\"room-%d\",\"from\":\"%s\","
                                + "\"ts\":%d,\"id\":\"%016x\",\"text\":\"%s\"}",
                        random.nextInt(20), USERS[random.nextInt(USERS.length)], millis, random.nextLong(), text);
                byte[] message = json.getBytes(StandardCharsets.UTF_8);
                messages.add(message);
                total += message.length;
            }
            return messages;
        }
    },

    /** 1 MiB of application log lines, written in 16 KiB buffers as a socket would carry them. */
    LOG {
        @Override
        List<byte[]> chunks() {
            Random random = new Random(7);
            StringBuilder text = new StringBuilder(MIB + 256);
            long millis = 1_700_000_000_000L;
            while (text.length() < MIB) {
                millis += random.nextInt(40);
                text.append(String.format(Locale.ROOT, "%d %-5s [worker-%d] %s user=%s latency_ms=%d id=%08x%n",
                        millis, LEVELS[random.nextInt(LEVELS.length)], random.nextInt(16),
                        EVENTS[random.nextInt(EVENTS.length)], USERS[random.nextInt(USERS.length)],
                        random.nextInt(2000), random.nextInt()));
            }
            byte[] all = text.substring(0, MIB).getBytes(StandardCharsets.UTF_8);
            List<byte[]> chunks = new ArrayList<>();
            for (int at = 0; at < all.length; at += LOG_CHUNK) {
                byte[] chunk = new byte[Math.min(LOG_CHUNK, all.length - at)];
                System.arraycopy(all, at, chunk, 0, chunk.length);
                chunks.add(chunk);
            }
            return chunks;
        }
    };

    private static final int MIB = 1024 * 1024;
    private static final int LOG_CHUNK = 16 * 1024;
    private static final String[] WORDS = {"hello", "anyone", "seen", "the", "deploy", "logs", "yes", "it", "failed",
        "again", "on", "staging", "rolling", "back", "now", "thanks", "lunch", "at", "noon", "meeting", "moved", "to",
        "tomorrow", "ok", "ship", "it", "build", "green", "review", "please", ":)", "lgtm", "coffee"};
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] EVENTS = {"request served", "cache miss", "retrying upstream", "session expired",
        "slow response", "accepted connection", "closed connection"};

    /** The buffers to send, in order; a fresh list each call, the same bytes every time. */
    abstract List<byte[]> chunks();

    static long totalBytes(List<byte[]> chunks) {
        long total = 0;
        for (byte[] c : chunks) {
            total += c.length;
        }
        return total;
    }
}
