package io.sluice.websocket.http;

/** Character classes of the HTTP grammar (RFC 7230 §3.2.6). */
public final class HttpTokens {

    private HttpTokens() {
    }

    /** A {@code tchar}: a character allowed in a token. */
    public static boolean isTokenChar(char c) {
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A non-empty string of {@code tchar}s. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A field-value character: visible ASCII, space, tab or obs-text (RFC 7230 §3.2). */
    public static boolean isValueChar(char c) {
        return c == '\t' || c >= ' ' && c != 0x7f && c <= 0xff;
    }
}
