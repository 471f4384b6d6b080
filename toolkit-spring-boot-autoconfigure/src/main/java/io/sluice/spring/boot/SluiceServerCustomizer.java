package io.sluice.spring.boot;

import io.sluice.reactor.Server;

/**
 * Adjusts a server's builder in code, after the {@code sluice.servers.<name>} properties and the handler have been
 * applied and before the server binds. Every customizer bean is called for every server, in
 * {@link org.springframework.core.Ordered} order; it decides by name what to change:
 *
 * <pre>{@code
 * @Bean
 * SluiceServerCustomizer chatLimits() {
 *     return (name, server) -> {
 *         if (name.equals("chat")) {
 *             server.filter(new MyAuthFilter());   // sits on top of the configured filters
 *         }
 *     };
 * }
 * }</pre>
 *
 * A filter added here sits above the configured ones (closest to the handler). Called once per server, on the
 * thread creating the application context, when the {@link SluiceServers} bean is created.
 */
@FunctionalInterface
public interface SluiceServerCustomizer {

    void customize(String serverName, Server.Builder server);
}
