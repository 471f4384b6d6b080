package io.sluice.spring.boot.autoconfigure;

import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServerCustomizer;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import io.sluice.test.SluiceTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What an application supplies for the WebSocket server {@code ws}: a session handler echoing every message. */
@Configuration(proxyBeanMethods = false)
class WebSocketEchoApplication {

    @Bean
    @SluiceHandler("ws")
    SluiceWebSocketHandler echo() {
        return session -> session.send(session.receive());
    }

    /** Puts every server's connections on the running test's leak-tracking allocator. */
    @Bean
    SluiceServerCustomizer testAllocator() {
        return (name, server) -> server.allocator(SluiceTest.allocator());
    }
}
