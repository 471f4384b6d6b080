package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Looks through a startup failure's chain of causes, and checks that startup failed on a property. */
final class Failures {

    private Failures() {
    }

    /** The first cause of this type in the chain, the failure itself included. */
    static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Every message of the chain, one per line. */
    static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join("\n", messages);
    }

    /** Runs {@code runner} and checks that startup failed on {@code property} for a reason containing {@code reason}. */
    static void assertRefused(ApplicationContextRunner runner, String property, String reason) {
        runner.run(context -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException refused = find(context.getStartupFailure(),
                    InvalidConfigurationPropertyValueException.class)
                    .orElseThrow(() -> new AssertionError("not a property error:\n"
                            + messages(context.getStartupFailure())));
            assertThat(refused.getName()).isEqualTo(property);
            assertThat(refused.getReason()).contains(reason);
        });
    }
}
