package io.sluice.spring.boot.autoconfigure;

import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Applies the settings of one server to the Sluice builders, turning a value they refuse into Boot's
 * {@link InvalidConfigurationPropertyValueException}, which names the property, its value and where it was set.
 */
final class PropertyCheck {

    private final String prefix;

    /** For the server of this name, whose settings are under {@code sluice.servers.<name>}. */
    PropertyCheck(String server) {
        this.prefix = prefixOf(server);
    }

    /** {@code sluice.servers.<name>}, in the bracket form for names that are not plain lower-case words. */
    static String prefixOf(String server) {
        return server.matches("[a-z0-9][a-z0-9-]*") ? "sluice.servers." + server : "sluice.servers[" + server + "]";
    }

    String name(String property) {
        return prefix + "." + property;
    }

    /** Calls {@code setter}; an {@link IllegalArgumentException} from it is reported against {@code property}. */
    <T> void set(String property, T value, Consumer<T> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException refused) {
            throw invalid(property, value, refused.getMessage());
        }
    }

    /** A size given to a builder that takes an {@code int}. */
    int intBytes(String property, DataSize size) {
        long bytes = size.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(property, size, "must be less than 2GB");
        }
        return (int) bytes;
    }

    InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(name(property), value, reason);
    }
}
