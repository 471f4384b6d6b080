package io.sluice.websocket.handshake;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The permessage-deflate parameters of one offer or response (RFC 7692 §7.1), checked for the rules both sides
 * share: only the four defined names, each at most once, the two no-context-takeover flags without a value, and
 * window bits as a decimal 8..15 without leading zeros. {@code client_max_window_bits} may come without a value.
 */
record DeflateParams(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                     Integer serverMaxWindowBits, boolean clientMaxWindowBitsPresent, Integer clientMaxWindowBits) {

    static final String EXTENSION = "permessage-deflate";
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** Why the parameters are invalid. */
    static final class InvalidParamsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidParamsException(String message) {
            super(message, null, false, false);
        }
    }

    static boolean isDeflate(ExtensionOffer extension) {
        return extension.name().equalsIgnoreCase(EXTENSION);
    }

    static DeflateParams of(ExtensionOffer extension) throws InvalidParamsException {
        Map<String, String> seen = new HashMap<>();
        boolean snct = false;
        boolean cnct = false;
        Integer smwb = null;
        boolean cmwbPresent = false;
        Integer cmwb = null;
        for (ExtensionOffer.Param p : extension.params()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (seen.containsKey(name)) {
                throw new InvalidParamsException("duplicate parameter " + name);
            }
            seen.put(name, p.value());
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> snct = flag(p);
                case CLIENT_NO_CONTEXT_TAKEOVER -> cnct = flag(p);
                case SERVER_MAX_WINDOW_BITS -> {
                    if (p.value() == null) {
                        throw new InvalidParamsException(SERVER_MAX_WINDOW_BITS + " needs a value");
                    }
                    smwb = windowBits(p);
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    cmwbPresent = true;
                    cmwb = p.value() == null ? null : windowBits(p);
                }
                default -> throw new InvalidParamsException("unknown parameter " + p.name());
            }
        }
        return new DeflateParams(snct, cnct, smwb, cmwbPresent, cmwb);
    }

    static void requireWindowBits(String what, int bits) {
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(what + " must be 8..15, got " + bits);
        }
    }

    private static boolean flag(ExtensionOffer.Param p) throws InvalidParamsException {
        if (p.value() != null) {
            throw new InvalidParamsException(p.name() + " takes no value");
        }
        return true;
    }

    private static int windowBits(ExtensionOffer.Param p) throws InvalidParamsException {
        String v = p.value();
        boolean valid = v.length() == 1 ? v.charAt(0) == '8' || v.charAt(0) == '9'
                : v.length() == 2 && v.charAt(0) == '1' && v.charAt(1) >= '0' && v.charAt(1) <= '5';
        if (!valid) {
            throw new InvalidParamsException("invalid " + p.name() + " value " + v);
        }
        return Integer.parseInt(v);
    }
}
