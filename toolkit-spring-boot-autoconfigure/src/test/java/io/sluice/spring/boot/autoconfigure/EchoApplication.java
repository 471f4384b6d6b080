package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServerCustomizer;
import io.sluice.test.SluiceTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What an application supplies for the server {@code echo}: its handler. Its buffers come from the test's allocator. */
@Configuration(proxyBeanMethods = false)
class EchoApplication {

    @Bean
    @SluiceHandler("echo")
    Handler echo() {
        return c -> c.send(c.receive());
    }

    /** Puts every server's connections on the running test's leak-tracking allocator. */
    @Bean
    SluiceServerCustomizer testAllocator() {
        return (name, server) -> server.allocator(SluiceTest.allocator());
    }
}
