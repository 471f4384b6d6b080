package io.sluice.test;

/** The error {@link Faults#errorAfter} injects, so that a test can tell it from a real failure. */
public final class InjectedFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InjectedFault(String message) {
        super(message, null, false, false);
    }
}
