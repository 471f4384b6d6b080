package io.sluice.filters.compression;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Resident memory of this process outside the Java heap: the sum of {@code Rss} over the mappings in
 * {@code /proc/self/smaps} that lie outside the heap's reserved address range.
 *
 * <p>Whole-process {@code VmRSS} is the wrong measure of native memory: the JVM commits heap it has not touched yet,
 * and the pages it touches later become resident without the committed size changing. With a large initial heap
 * that is hundreds of megabytes in a run that leaks nothing. The heap's range comes from the {@code GC.heap_info}
 * diagnostic command, whose first line G1 prints as {@code garbage-first heap ... [0x<start>, 0x<end>)}; other
 * collectors split the heap into generations and are refused with a clear message.
 */
final class NativeResidentMemory {

    private static final Pattern G1_RANGE =
            Pattern.compile("garbage-first heap[^\\[]*\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private final long heapStart;
    private final long heapEnd;

    private NativeResidentMemory(long heapStart, long heapEnd) {
        this.heapStart = heapStart;
        this.heapEnd = heapEnd;
    }

    /** A meter for this JVM; fails unless the heap is G1's, one contiguous range. */
    static NativeResidentMemory ofThisProcess() {
        String info = heapInfo();
        Matcher m = G1_RANGE.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot find the G1 heap's address range in GC.heap_info; this meter"
                    + " needs -XX:+UseG1GC (the default). GC.heap_info printed:\n" + info);
        }
        return new NativeResidentMemory(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
    }

    /** Resident bytes in mappings that do not overlap the Java heap's reserved range. */
    long bytes() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        long total = 0;
        boolean counting = false;
        for (String line : lines) {
            Matcher m = MAPPING.matcher(line);
            if (m.find()) {
                long start = Long.parseUnsignedLong(m.group(1), 16);
                long end = Long.parseUnsignedLong(m.group(2), 16);
                counting = Long.compareUnsigned(end, heapStart) <= 0 || Long.compareUnsigned(start, heapEnd) >= 0;
            } else if (counting && line.startsWith("Rss:")) {
                total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return total;
    }

    /** {@link #bytes()} after three collections, so that direct buffers the heap no longer refers to are freed. */
    long settledBytes() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return bytes();
    }

    private static String heapInfo() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the GC.heap_info diagnostic command failed", e);
        }
    }
}
