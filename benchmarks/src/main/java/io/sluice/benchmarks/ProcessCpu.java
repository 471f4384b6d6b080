package io.sluice.benchmarks;

import io.sluice.samples.LoadGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process spends (all its threads, user and system) over a measured window, from Linux's
 * {@code /proc/PID/stat}, in 10 ms ticks. On a machine shared with other work, time per operation is a steadier
 * figure than operations per second: it does not count the time the process waited for a core. The TLS comparison
 * watches the server's process and its own (the load generator's).
 */
final class ProcessCpu implements LoadGenerator.MeasuredWindow {

    /** Linux's {@code USER_HZ}: the unit of the times in {@code /proc/PID/stat}, 100 on every common platform. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final long pid;
    private long openedAt = -1;
    private long spent = -1;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    @Override
    public void opened() {
        openedAt = ticks();
    }

    @Override
    public void closed() {
        spent = (ticks() - openedAt) * NANOS_PER_TICK;
    }

    /** This JVM's process. */
    static ProcessCpu self() {
        return new ProcessCpu(ProcessHandle.current().pid());
    }

    /** CPU time spent between {@link #opened()} and {@link #closed()}; -1 if the window never closed. */
    long nanos() {
        return spent;
    }

    /** Tells both windows. */
    static LoadGenerator.MeasuredWindow both(ProcessCpu a, ProcessCpu b) {
        return new LoadGenerator.MeasuredWindow() {
            @Override
            public void opened() {
                a.opened();
                b.opened();
            }

            @Override
            public void closed() {
                a.closed();
                b.closed();
            }
        };
    }

    private long ticks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14 and 15
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }
}
