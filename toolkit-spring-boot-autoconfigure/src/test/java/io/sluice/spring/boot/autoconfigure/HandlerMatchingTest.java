package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServers;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each enabled server gets the one Handler bean annotated with its name; anything else fails, saying what to do. */
class HandlerMatchingTest {

    @Test
    void handlerDeclaredOnAComponentClassServesItsServer() {
        Contexts.withStarter().withUserConfiguration(Handlers.ChatComponent.class)
                .withPropertyValues("sluice.servers.chat.port=0")
                .run(context -> assertThat(context.getBean(SluiceServers.class).get("chat").port()).isPositive());
    }

    @Test
    void serverWithoutAHandlerFailsStartupSayingWhichAnnotationIsMissing() {
        Contexts.withStarter().withUserConfiguration(Handlers.Unmarked.class)
                .withPropertyValues("sluice.servers.chat.port=0")
                .run(context -> {
                    SluiceHandlerException failure = handlerFailure(context.getStartupFailure());
                    assertThat(failure).hasMessage(
                            "Sluice server 'chat' (configured under sluice.servers.chat) has no handler.");
                    assertThat(failure.action()).contains("@SluiceHandler(\"chat\")")
                            .contains("Handler beans without it: [plain]")
                            .contains("sluice.servers.chat.enabled=false");
                });
    }

    @Test
    void twoHandlersForOneServerFailStartupNamingBoth() {
        Contexts.withStarter().withUserConfiguration(Handlers.Chat.class, Handlers.SecondChat.class)
                .withPropertyValues("sluice.servers.chat.port=0")
                .run(context -> assertThat(handlerFailure(context.getStartupFailure()))
                        .hasMessageContaining("beans [chat, otherChat] are all annotated @SluiceHandler(\"chat\")"));
    }

    @Test
    void handlerNamingAnUnconfiguredServerFailsStartup() {
        Contexts.echoServer().withUserConfiguration(Handlers.Chat.class)
                .run(context -> assertThat(handlerFailure(context.getStartupFailure())).hasMessage(
                        "Handler bean 'chat' is annotated @SluiceHandler(\"chat\"), but no Sluice server 'chat' is "
                                + "configured (configured: [echo])."));
    }

    @Test
    void disabledServerNeedsNoHandlerAndItsHandlerIsNoMistake() {
        Contexts.echoServer().withUserConfiguration(Handlers.Chat.class)
                .withPropertyValues("sluice.servers.chat.enabled=false", "sluice.servers.other.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SluiceServers.class).names()).containsExactly("echo");
                });
    }

    @Test
    void handlerCanBeInjectedElsewhereByItsServersName() {
        Contexts.withStarter().withUserConfiguration(Handlers.Chat.class, Handlers.Unmarked.class,
                        InjectsChatHandler.class)
                .withPropertyValues("sluice.servers.chat.port=0")
                .run(context -> assertThat(context.getBean("injected"))
                        .isSameAs(context.getBean("chat")));
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectsChatHandler {
        @Bean
        Object injected(@SluiceHandler("chat") Handler handler) {
            return handler;
        }
    }

    private static SluiceHandlerException handlerFailure(Throwable startupFailure) {
        return Failures.find(startupFailure, SluiceHandlerException.class)
                .orElseThrow(() -> new AssertionError(Failures.messages(startupFailure)));
    }
}
