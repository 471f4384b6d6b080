package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Handler beans for tests of how handlers are matched to servers. */
final class Handlers {

    private Handlers() {
    }

    private static Handler echo() {
        return c -> c.send(c.receive());
    }

    @Configuration(proxyBeanMethods = false)
    static class Chat {
        @Bean
        @SluiceHandler("chat")
        Handler chat() {
            return echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondChat {
        @Bean
        @SluiceHandler("chat")
        Handler otherChat() {
            return echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Unmarked {
        @Bean
        Handler plain() {
            return echo();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Upper {
        @Bean
        @SluiceHandler("Upper.Case")
        Handler upper() {
            return echo();
        }
    }

    /** A handler declared as a component class rather than a bean method. */
    @SluiceHandler("chat")
    static class ChatComponent implements Handler {
        @Override
        public org.reactivestreams.Publisher<Void> handle(io.sluice.api.Connection connection) {
            return connection.send(connection.receive());
        }
    }
}
