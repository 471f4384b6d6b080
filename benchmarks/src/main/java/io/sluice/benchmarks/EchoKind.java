package io.sluice.benchmarks;

import java.util.Arrays;

/** The echo servers compared; each runs the same workload in its own JVM (see {@link BenchServer}). */
public enum EchoKind {
    /** Sluice as a user writes it: {@code c -> c.send(c.receive())}. */
    SLUICE("sluice"),
    /** Plain Reactor Netty: {@code TcpServer} with {@code out.send(in.receive().retain())}. */
    REACTOR("reactor"),
    /** Plain Netty: a ServerBootstrap and an echo handler. */
    NETTY("netty");

    private final String label;

    EchoKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static EchoKind of(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server kind '" + label + "'; one of "
                        + Arrays.toString(Arrays.stream(values()).map(EchoKind::label).toArray())));
    }
}
