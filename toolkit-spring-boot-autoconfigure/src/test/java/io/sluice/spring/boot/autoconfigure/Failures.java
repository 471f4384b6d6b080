package io.sluice.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks through a startup failure's chain of causes. */
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
}
