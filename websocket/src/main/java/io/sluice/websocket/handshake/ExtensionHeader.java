package io.sluice.websocket.handshake;

import io.sluice.websocket.http.HttpTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the {@code Sec-WebSocket-Extensions} grammar of RFC 6455 §9.1:
 * <pre>
 * extension-list = 1#extension
 * extension      = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * with optional whitespace around the separators, empty list elements ignored (RFC 7230 §7), and the value of a
 * quoted string, once unescaped, required to be a token too.
 */
final class ExtensionHeader {

    private final String s;
    private int pos;

    private ExtensionHeader(String s) {
        this.s = s;
    }

    /** The extensions listed in {@code value}, in order. */
    static List<ExtensionOffer> parse(String value) throws MalformedExtensionsException {
        return new ExtensionHeader(value).list();
    }

    /** A syntax error in the field. */
    static final class MalformedExtensionsException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedExtensionsException(String message) {
            super(message, null, false, false);
        }
    }

    private List<ExtensionOffer> list() throws MalformedExtensionsException {
        List<ExtensionOffer> offers = new ArrayList<>();
        for (;;) {
            skipSpace();
            if (pos == s.length()) {
                break;
            }
            if (s.charAt(pos) == ',') {
                pos++;
                continue;
            }
            offers.add(extension());
            skipSpace();
            if (pos < s.length()) {
                expect(',');
            }
        }
        if (offers.isEmpty()) {
            throw error("no extension listed");
        }
        return offers;
    }

    private ExtensionOffer extension() throws MalformedExtensionsException {
        String name = token();
        List<ExtensionOffer.Param> params = new ArrayList<>();
        for (;;) {
            skipSpace();
            if (pos == s.length() || s.charAt(pos) != ';') {
                return new ExtensionOffer(name, params);
            }
            pos++;
            skipSpace();
            String param = token();
            skipSpace();
            String value = null;
            if (pos < s.length() && s.charAt(pos) == '=') {
                pos++;
                skipSpace();
                value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
            }
            params.add(new ExtensionOffer.Param(param, value));
        }
    }

    private String token() throws MalformedExtensionsException {
        int start = pos;
        while (pos < s.length() && HttpTokens.isTokenChar(s.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a token");
        }
        return s.substring(start, pos);
    }

    private String quoted() throws MalformedExtensionsException {
        pos++; // opening quote
        StringBuilder value = new StringBuilder();
        for (;;) {
            if (pos == s.length()) {
                throw error("unterminated quoted string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (pos == s.length()) {
                    throw error("unterminated quoted string");
                }
                c = s.charAt(pos++);
            }
            value.append(c);
        }
        String v = value.toString();
        for (int i = 0; i < v.length(); i++) {
            if (!HttpTokens.isTokenChar(v.charAt(i))) {
                throw error("a quoted parameter value must be a token");
            }
        }
        if (v.isEmpty()) {
            throw error("a quoted parameter value must be a token");
        }
        return v;
    }

    private void expect(char c) throws MalformedExtensionsException {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private MalformedExtensionsException error(String what) {
        return new MalformedExtensionsException(what + " at index " + pos);
    }
}
