package io.sluice.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@link io.sluice.api.Handler} bean that serves the Sluice server of this name, the one configured under
 * {@code sluice.servers.<name>} (or, for a WebSocket endpoint, its {@link SluiceWebSocketHandler} bean):
 *
 * <pre>{@code
 * @Bean
 * @SluiceHandler("echo")
 * Handler echo() {
 *     return c -> c.send(c.receive());
 * }
 * }</pre>
 *
 * Each enabled server needs exactly one such bean; a missing or doubled one, or one naming a server that is not
 * configured, fails startup with a message saying which. It is a {@link Qualifier}, so
 * {@code @SluiceHandler("echo") Handler h} also injects that handler elsewhere.
 */
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface SluiceHandler {

    /** The server's name: the {@code <name>} of {@code sluice.servers.<name>}. */
    String value();
}
