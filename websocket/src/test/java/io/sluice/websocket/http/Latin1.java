package io.sluice.websocket.http;

import java.nio.charset.StandardCharsets;

/** Text as heads are read and written: ISO-8859-1, one byte per char. */
public final class Latin1 {

    private Latin1() {
    }

    public static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
