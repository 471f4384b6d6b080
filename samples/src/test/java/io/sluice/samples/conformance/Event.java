package io.sluice.samples.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One thing the peer observed, in the order it happened: a whole message echoed, a pong, or a pause that passed
 * while the connection was still open. Compared by value; a long payload is named by its length and digest so that
 * a failing assertion stays readable.
 */
record Event(String value) {

    private static final int SHOWN_BYTES = 48;

    static Event text(String text) {
        return text(text.getBytes(StandardCharsets.UTF_8));
    }

    static Event text(byte[] utf8) {
        return new Event("text " + describe(utf8, true));
    }

    static Event binary(byte[] payload) {
        return new Event("binary " + describe(payload, false));
    }

    static Event pong(byte[] payload) {
        return new Event("pong " + describe(payload, false));
    }

    static Event pong(String payload) {
        return pong(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A ping from the server: the echo sample sends none, so any is a difference. */
    static Event ping(byte[] payload) {
        return new Event("ping " + describe(payload, false));
    }

    /** A pause of the scenario that ended with the connection still open (the server had not failed it yet). */
    static Event stillOpen(String tag) {
        return new Event("still open after pause " + tag);
    }

    private static String describe(byte[] payload, boolean text) {
        if (payload.length <= SHOWN_BYTES) {
            String hex = HexFormat.of().formatHex(payload);
            return text ? "\"" + new String(payload, StandardCharsets.UTF_8) + "\" (" + hex + ")" : "[" + hex + "]";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload);
            return payload.length + " bytes, sha-256 " + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
