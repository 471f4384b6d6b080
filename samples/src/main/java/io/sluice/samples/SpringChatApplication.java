package io.sluice.samples;

import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServers;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The chat room of the {@code chat} sample inside a Spring WebFlux application: WebFlux serves the page and a small
 * REST API, Sluice serves the room's WebSocket, configured in {@code spring-chat.properties}
 * ({@code sluice.servers.chat.*}) and run by the application context. The WebSocket is mounted at {@code /chat} on
 * WebFlux's own port; with {@code --sluice.servers.chat.websocket.mount=port} it has a port of its own
 * ({@code sluice.servers.chat.port}) and the page is told where.
 *
 * <ul>
 *   <li>{@code GET /}: the chat page; {@code ?name=alice} names the member.</li>
 *   <li>{@code GET /api/members}: the members' names, as JSON.</li>
 *   <li>{@code POST /api/messages}: broadcasts the request's text body to every member, as {@code api: TEXT}.</li>
 *   <li>{@code GET /actuator/health}, {@code /actuator/metrics/sluice.connections.active}: the Sluice server.</li>
 * </ul>
 *
 * <pre>
 * mvn -pl samples exec:java@spring-chat
 * mvn -pl samples exec:java@spring-chat -Dexec.args="--server.port=8080"
 * mvn -pl samples exec:java@spring-chat -Dexec.args="--sluice.servers.chat.websocket.mount=port --sluice.servers.chat.port=8081"
 * </pre>
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@PropertySource("classpath:io/sluice/samples/spring-chat.properties")
public class SpringChatApplication {

    /** The room; a member more than {@code chat.queue} messages behind is disconnected with 1008. */
    @Bean
    ChatRoom chatRoom(@Value("${chat.queue}") int queue) {
        return new ChatRoom(queue);
    }

    /** The room's WebSocket endpoint: {@code sluice.servers.chat}. */
    @Bean
    @SluiceHandler("chat")
    SluiceWebSocketHandler chat(ChatRoom room) {
        return room::join;
    }

    @Bean
    RouterFunction<ServerResponse> chatApi(ChatRoom room, SluiceServers servers) {
        ChatPage page = ChatPage.load();
        return RouterFunctions.route()
                .GET("/", request -> page(request, page, servers))
                .GET("/api/members", request -> ServerResponse.ok().bodyValue(Map.of("members", room.members())))
                .POST("/api/messages", request -> request.bodyToMono(String.class)
                        .filter(text -> !text.isBlank())
                        .flatMap(text -> {
                            room.broadcast("api: " + text.strip());
                            return ServerResponse.status(HttpStatus.ACCEPTED)
                                    .bodyValue(Map.of("delivered to", room.size()));
                        })
                        .switchIfEmpty(Mono.defer(() -> ServerResponse.badRequest().bodyValue("empty message"))))
                .build();
    }

    /**
     * The page, told where the room's WebSocket is: at {@code /chat} of its own origin when mounted on WebFlux; on
     * its own port, at the host the page was asked for, when the server {@code chat} has a port of its own.
     */
    private static Mono<ServerResponse> page(ServerRequest request, ChatPage page, SluiceServers servers) {
        String socket = "";
        if (servers.names().contains("chat")) {
            String host = request.uri().getHost();
            socket = "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + servers.get("chat").port()
                    + "/chat";
        }
        return ServerResponse.ok().contentType(MediaType.TEXT_HTML).header("Cache-Control", "no-cache")
                .bodyValue(page.html(socket));
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SpringChatApplication.class, args);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String host = context.getEnvironment().getProperty("server.address", "0.0.0.0");
        System.out.println("listening on " + host + ":" + port);
    }
}
