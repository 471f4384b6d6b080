package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sluice.reactor.Server;
import io.sluice.reactor.Takeover;
import io.sluice.spring.boot.SluiceServerListener;
import io.sluice.spring.boot.SluiceWebFluxEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

/** A listener that throws is that listener's problem: the endpoints still start and stop, the others are told. */
class WebFluxEndpointsListenerTest {

    @Test
    void aListenerThatThrowsNeitherFailsTheShutdownNorKeepsTheOthersFromBeingTold() {
        List<String> told = new CopyOnWriteArrayList<>();
        SluiceServerListener failing = new SluiceServerListener() {
            @Override
            public void mounted(String name, Takeover endpoint) {
                throw new IllegalStateException("a listener failing on purpose when mounted");
            }

            @Override
            public void unmounted(String name, Takeover endpoint) {
                throw new IllegalStateException("a listener failing on purpose when unmounted");
            }
        };
        SluiceServerListener recording = new SluiceServerListener() {
            @Override
            public void mounted(String name, Takeover endpoint) {
                told.add("mounted " + name);
            }

            @Override
            public void unmounted(String name, Takeover endpoint) {
                told.add("unmounted " + name);
            }
        };
        SluiceWebFluxEndpoints endpoints = new SluiceWebFluxEndpoints(
                Map.of("ws", Server.tcp().handler(connection -> Mono.never())), Map.of("ws", "/ws"),
                Duration.ofSeconds(2), List.of(failing, recording));
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            assertThatCode(endpoints::start).doesNotThrowAnyException();
            assertThat(endpoints.isRunning()).isTrue();
            assertThatCode(endpoints::stop).doesNotThrowAnyException();
        } finally {
            Hooks.resetOnErrorDropped();
        }
        assertThat(dropped).as("errors left to Reactor's onErrorDropped").isEmpty();
        assertThat(endpoints.isRunning()).isFalse();
        assertThat(told).containsExactly("mounted ws", "unmounted ws");
    }
}
